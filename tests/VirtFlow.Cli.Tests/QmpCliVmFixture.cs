using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

/// <summary>A running VM (one disk, a TCP monitor too) that the <c>virtflow qmp</c> tests talk to, one invocation at a time.</summary>
public sealed class QmpCliVmFixture : IAsyncLifetime
{
    public QemuVm Vm { get; private set; } = null!;

    /// <summary>The built CLI (<c>virtflow.dll</c>) to run with <c>dotnet</c>.</summary>
    public static string CliDll
    {
        get
        {
            var beside = Path.Combine(AppContext.BaseDirectory, "virtflow.dll");
            if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json"))) return beside;
            // --artifacts-path layout: <artifacts>/bin/VirtFlow.Cli.Tests/<config>/ -> <artifacts>/bin/VirtFlow.Cli/<config>/
            var config = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
            var artifacts = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "VirtFlow.Cli", config, "virtflow.dll"));
            return File.Exists(artifacts) ? artifacts : throw new FileNotFoundException("virtflow.dll not found beside the tests nor at " + artifacts);
        }
    }

    public async Task InitializeAsync() =>
        Vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, StartRunning = true, TcpMonitor = true });

    public async Task DisposeAsync()
    {
        if (Vm is not null) await Vm.DisposeAsync();
    }
}
