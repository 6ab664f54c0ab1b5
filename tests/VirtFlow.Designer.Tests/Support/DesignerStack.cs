using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Worker;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Designer.Tests.Support;

/// <summary>
/// The real stack a browser test drives: a <c>virtflow server</c> (engine, SQLite store, RabbitMQ, HTTP with a key per
/// role) serving the built designer at <c>/</c>, and, when asked, a running QEMU VM served as <c>web1</c> by a real worker
/// of its own host (storage root: the VM's folder), online before it is returned.
/// </summary>
public sealed class DesignerStack : IAsyncDisposable
{
    private DesignerStack(ApiServer api, QemuVm? vm, VirtFlowWorkerHost? worker, string hostId) => (Api, Vm, Worker, HostId) = (api, vm, worker, hostId);

    public ApiServer Api { get; }
    public QemuVm? Vm { get; }
    public VirtFlowWorkerHost? Worker { get; }
    public string HostId { get; }

    /// <summary><c>http://127.0.0.1:PORT/</c>: the designer.</summary>
    public string Url => Api.BaseAddress.ToString();

    /// <summary>The built designer (<c>src/VirtFlow.Designer/dist</c>); the test fails with one line when it is not built.</summary>
    public static string BuiltDesigner()
    {
        var dist = Path.Combine(TestDirs.RepoRoot, "src", "VirtFlow.Designer", "dist");
        if (!File.Exists(Path.Combine(dist, "index.html")))
            throw new InvalidOperationException($"the designer is not built ({dist} has no index.html): run ./build.sh build (npm ci + vite build)");
        return dist;
    }

    /// <summary>The shipped workflows by file name (the ones given by name).</summary>
    public static async Task<(string File, string Text)[]> ShippedAsync(params string[] names)
    {
        var list = new List<(string, string)>();
        foreach (var name in names) list.Add((name + ".yaml", await File.ReadAllTextAsync(Path.Combine(TestDirs.RepoRoot, "workflows", name + ".yaml"))));
        return [.. list];
    }

    /// <summary>Starts the server with <paramref name="workflows"/>, and with <paramref name="vm"/> a VM and its worker.</summary>
    public static async Task<DesignerStack> StartAsync(RabbitMqServer rabbit, ITestOutputHelper output, QemuVmOptions? vm = null,
        params (string File, string Text)[] workflows)
    {
        var dist = BuiltDesigner();
        QemuVm? qemu = vm is null ? null : await QemuVm.StartAsync(vm);
        ApiServer? api = null;
        VirtFlowWorkerHost? worker = null;
        try
        {
            api = await ApiServer.StartAsync(rabbit, TestStore.Sqlite(), output, o => o.Http!.Designer = dist, workflows: workflows);
            var hostId = "h-" + Guid.NewGuid().ToString("N")[..8];
            if (qemu is not null)
            {
                worker = await ApiWorkers.StartAsync(rabbit, hostId, qemu);
                await ApiWorkers.WaitOnlineAsync(api.Viewer, hostId);
            }
            return new DesignerStack(api, qemu, worker, hostId);
        }
        catch
        {
            if (worker is not null) await worker.DisposeAsync();
            if (api is not null) await api.DisposeAsync();
            if (qemu is not null) await qemu.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Worker is not null) await Worker.DisposeAsync();
        await Api.DisposeAsync();
        if (Vm is not null) await Vm.DisposeAsync();
    }
}
