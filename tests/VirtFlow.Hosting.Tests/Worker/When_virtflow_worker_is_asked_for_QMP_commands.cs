using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Worker;

/// <summary>
/// The <c>virtflow worker</c> process's QMP policy: RawQmp runs query-* commands, and others only when allowed (here by
/// appsettings <c>VirtFlow:Worker:AllowQmp</c>; <c>--allow-qmp</c> is the same on the command line);
/// a command that reaches the host is warned about at start, and <c>exec:</c> never runs, whoever publishes it.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class When_virtflow_worker_is_asked_for_QMP_commands(RabbitMqFixture rabbit)
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(90);

    [Fact]
    public Task Only_allowed_commands_run_and_a_dangerous_one_is_warned_about_at_start() => RunAsync().WaitAsync(TimeSpan.FromMinutes(5));

    private async Task RunAsync()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var hostId = WorkerProcesses.NewHostId();
        var canary = Path.Combine(vm.Dir, "canary");
        await using var engine = await EngineSide.StartAsync(rabbit.Server, hostId);
        var config = Path.Combine(TestDirs.Create("worker-qmp"), "appsettings.json");
        await File.WriteAllTextAsync(config, """{ "VirtFlow": { "Worker": { "AllowQmp": [ "migrate", "stop" ] } } }""");
        await using var worker = await WorkerProcesses.StartAsync(rabbit.Server, hostId, vm, "--config", config);
        await engine.WaitForAsync<VmJobsSnapshot>(s => s.Vm == "vm1", Answer, "the snapshot on connect");
        Assert.Contains($"QMP command 'migrate' is allowed on host {hostId}: it can run a shell command on the host", worker.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("QMP command 'stop' is allowed", worker.Stderr, StringComparison.Ordinal);

        var hmp = await RunAsync(engine, hostId, "human-monitor-command", new JsonObject { ["command-line"] = "stop" });
        Assert.Equal(HostErrorClasses.NotAllowed, hmp.ErrorClass);
        Assert.Equal($"VM vm1: QMP command 'human-monitor-command' is not allowed on host {hostId} (allow it with --allow-qmp human-monitor-command or VirtFlow:Worker:AllowQmp)", hmp.Error);
        var exec = await RunAsync(engine, hostId, "migrate", new JsonObject { ["uri"] = $"exec:touch {canary}" });
        Assert.Equal(HostErrorClasses.NotAllowed, exec.ErrorClass);
        var status = await RunAsync(engine, hostId, "query-status", null);
        Assert.True(status.Success, status.Error);
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
        var stop = await RunAsync(engine, hostId, "stop", null);
        Assert.True(stop.Success, stop.Error);
        Assert.False((await vm.Monitor.QueryStatusAsync()).Running);
        Assert.False(File.Exists(canary), "the exec: command ran on the host");
    }

    private static async Task<CommandResult> RunAsync(EngineSide engine, string hostId, string command, JsonObject? arguments)
    {
        var id = $"qmp-{Guid.NewGuid():N}";
        await engine.SendAsync(new RawQmp { CommandId = id, HostId = hostId, Vm = "vm1", Command = command, ArgumentsJson = arguments?.ToJsonString() });
        return await engine.ResultAsync(id, Answer);
    }
}
