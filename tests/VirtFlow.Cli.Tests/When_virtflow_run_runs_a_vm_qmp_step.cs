using VirtFlow.Cli.Commands;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

/// <summary>
/// <c>vm.qmp</c> in embedded mode: the in-process worker has the same deny-by-default policy as <c>virtflow worker</c>;
/// a refused command faults the step with one line naming the command and the option that allows it.
/// </summary>
public sealed class When_virtflow_run_runs_a_vm_qmp_step
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);

    private const string Workflow = """
        name: qmp-stop
        steps:
          - id: stop
            type: vm.qmp
            with: { vm: vm1, command: stop }
        """;

    [Fact]
    public async Task A_command_beyond_query_is_refused_unless_allowed_with_allow_qmp()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var file = Path.Combine(TestDirs.Create("run-qmp"), "qmp-stop.yaml");
        await File.WriteAllTextAsync(file, Workflow);

        var (code, _, stderr) = await RunAsync(file, "--store", "memory:", "--vm", $"vm1=qmp:{vm.QmpSocketPath}");

        Assert.True(code == 1, stderr);
        Assert.Contains("step 'stop': VM vm1: QMP command 'stop' is not allowed on host local (allow it with --allow-qmp stop or VirtFlow:Worker:AllowQmp)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);

        var (allowed, _, allowedErr) = await RunAsync(file, "--store", "memory:", "--vm", $"vm1=qmp:{vm.QmpSocketPath}", "--allow-qmp", "stop");

        Assert.True(allowed == 0, allowedErr);
        Assert.False((await vm.Monitor.QueryStatusAsync()).Running);
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        using var cts = new CancellationTokenSource(Wait);
        var code = await RunCommand.RunAsync(args, stdout, stderr, cts.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
