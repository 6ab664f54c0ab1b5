using VirtFlow.Contracts;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Worker;

/// <summary>
/// The real <c>virtflow worker</c> process against a real RabbitMQ and a real QEMU: commands sent to its host's queue
/// (as the engine sends them) are run and answered on the engine's side; the queues are durable; settings come from
/// appsettings and the environment; a guest quiesced by an engine that then died is released when the lease runs out.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class When_virtflow_worker_serves_a_host(RabbitMqFixture rabbit)
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(90);

    [Fact]
    public Task It_answers_commands_from_its_durable_single_consumer_queue_and_a_repeated_command_changes_nothing() =>
        ServesAsync().WaitAsync(TimeSpan.FromMinutes(5));

    private async Task ServesAsync()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var hostId = WorkerProcesses.NewHostId();
        await using var engine = await EngineSide.StartAsync(rabbit.Server, hostId);
        await using var worker = await WorkerProcesses.StartAsync(rabbit.Server, hostId, vm);

        var online = await engine.WaitForAsync<WorkerOnline>(_ => true, Answer, "WorkerOnline");
        Assert.Equal(["vm1"], online.Vms);
        var snapshot = await engine.WaitForAsync<VmJobsSnapshot>(s => s.Vm == "vm1", Answer, "the snapshot on connect");
        Assert.Empty(snapshot.Jobs);
        Assert.Equal("running", snapshot.RunState);

        await engine.SendAsync(new PauseVm { CommandId = "pause-1", HostId = hostId, Vm = "vm1" });
        var paused = await engine.ResultAsync("pause-1");
        Assert.True(paused.Success, paused.Error);
        Assert.False((await vm.Monitor.QueryStatusAsync()).Running);

        // The engine resumes the VM by hand, then the pause command comes again (a re-send after a crash): the worker
        // answers from its cache and does not pause the VM again.
        await vm.Monitor.ExecuteAsync("cont");
        await engine.SendAsync(new PauseVm { CommandId = "pause-1", HostId = hostId, Vm = "vm1" });
        await Eventually.Until(() => Task.FromResult(engine.Events.OfType<CommandResult>().Count(r => r.CommandId == "pause-1") >= 2), Answer, "the repeated result");
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running, "a repeated command ran again");

        await engine.SendAsync(new QueryVm { CommandId = "query-1", HostId = hostId, Vm = "vm1" });
        var query = await engine.ResultAsync("query-1");
        Assert.True(query.Success, query.Error);
        Assert.Contains("\"running\"", query.ResultJson, StringComparison.Ordinal);

        var queues = WorkerProcesses.ListQueues(rabbit.Server);
        var hostQueue = Assert.Single(queues, q => q.Name == HostQueues.CommandQueue(hostId));
        Assert.True(hostQueue.Durable, "the host queue is durable");
        Assert.Contains("x-single-active-consumer", hostQueue.Arguments, StringComparison.Ordinal);
        Assert.True(Assert.Single(queues, q => q.Name == engine.Queue).Durable);
        Assert.False(worker.HasExited, worker.ToString());

        worker.Terminate();
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        await engine.WaitForAsync<WorkerOffline>(o => o.WorkerId == online.WorkerId, Answer, "WorkerOffline on SIGTERM");
    }

    [Fact]
    public Task Settings_come_from_appsettings_and_the_environment_and_the_lease_releases_a_guest_whose_engine_died() =>
        SettingsAsync().WaitAsync(TimeSpan.FromMinutes(5));

    private async Task SettingsAsync()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var hostId = WorkerProcesses.NewHostId();
        var dir = TestDirs.Create("worker-settings");
        var config = Path.Combine(dir, "appsettings.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "VirtFlow": {
                "Worker": {
                  "HostId": "overridden-by-the-environment",
                  "RabbitMq": "{{rabbit.Server.AmqpUri}}",
                  "Vms": [ "vm1=qmp:{{vm.QmpSocketPath}}" ],
                  "StorageRoots": [ "{{vm.Dir}}" ],
                  "Lease": "3s"
                }
              }
            }
            """);
        var engine = await EngineSide.StartAsync(rabbit.Server, hostId);
        await using var worker = VirtFlowProcess.Start(new Dictionary<string, string> { ["VirtFlow__Worker__HostId"] = hostId }, "worker", "--config", config);
        await worker.WaitForLineAsync("virtflow worker ready", WorkerProcesses.Ready);
        Assert.Contains($"host {hostId}", worker.Stdout, StringComparison.Ordinal);

        // Pause under the default lease (3 s from appsettings); then the engine dies and never unquiesces.
        await engine.SendAsync(new QuiesceVm { CommandId = "quiesce-1", HostId = hostId, Vm = "vm1", Mode = QuiesceModes.Pause });
        var quiesced = await engine.ResultAsync("quiesce-1");
        Assert.True(quiesced.Success, quiesced.Error);
        Assert.False((await vm.Monitor.QueryStatusAsync()).Running);
        await engine.DisposeAsync();

        await Eventually.Until(async () => (await vm.Monitor.QueryStatusAsync()).Running, TimeSpan.FromSeconds(30), "the worker resuming the VM when the lease ran out");

        // The engine's queue kept what was published meanwhile: the lease's expiry.
        await using var back = await EngineSide.StartAsync(rabbit.Server, hostId);
        var expired = await back.WaitForAsync<QuiesceLeaseExpired>(_ => true, Answer, "QuiesceLeaseExpired");
        Assert.True(expired.Released);
        Assert.True(expired.Resumed);
        Assert.Equal(QuiesceModes.Pause, expired.Method);
    }
}
