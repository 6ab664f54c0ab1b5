using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.HostWorker.Tests;

public sealed class EventTests(ITestOutputHelper output)
{
    [Fact]
    public async Task When_QEMU_quits_the_worker_reports_the_VM_gone_and_commands_fail_as_unavailable()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1 });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.ConnectWaitTimeout = TimeSpan.FromSeconds(1));
        Assert.Single(worker.Sink.Of<WorkerOnline>());

        await vm.ShutdownAsync();

        var gone = await worker.Sink.WaitForAsync<VmGone>(_ => true);
        Assert.Equal(WorkerHarness.VmName, gone.Vm);
        var query = await worker.RunAsync(Commands.Query());
        Assert.Equal(HostErrorClasses.VmUnavailable, query.ErrorClass);
    }

    [Fact]
    public async Task After_the_monitor_connection_drops_the_worker_reconnects_and_reports_what_it_finds_again()
    {
        var connections = 0;
        await using var qemu = FakeSocketServer.Start(async (connection, ct) =>
        {
            var n = Interlocked.Increment(ref connections);
            if (!await connection.NegotiateAsync(ct)) return;
            while (await connection.ReadLineAsync(ct) is { } line)
            {
                var request = JsonNode.Parse(line)!;
                var id = request["id"]!.ToJsonString();
                var reply = request["execute"]!.GetValue<string>() switch
                {
                    "query-jobs" => """[{"id": "j1", "type": "mirror", "status": "ready", "current-progress": 5, "total-progress": 5}]""",
                    "query-status" => """{"status": "running", "running": true, "singlestep": false}""",
                    _ => "[]",
                };
                await connection.SendLineAsync($$"""{"return": {{reply}}, "id": {{id}}}""", ct);
                if (n == 1 && request["execute"]!.GetValue<string>() == "query-status") return; // drop the first connection
            }
        });
        await using var worker = await WorkerHarness.StartAsync(qemu.SocketPath, output, waitForSnapshot: false,
            configure: o => o.ReconnectMinDelay = TimeSpan.FromMilliseconds(50));

        await worker.Sink.WaitForAsync<VmGone>(_ => true);
        await worker.Sink.WaitForAsync<VmJobsSnapshot>(s => worker.Sink.Of<VmJobsSnapshot>().Count >= 2);

        var snapshots = worker.Sink.Of<VmJobsSnapshot>();
        Assert.All(snapshots.Take(2), s => Assert.Equal("j1", Assert.Single(s.Jobs).JobId));
        var ready = worker.Sink.Of<JobStatusChanged>().Where(e => e.JobId == "j1").ToList();
        Assert.True(ready.Count >= 2);
        Assert.Single(ready.Select(e => e.EventId).Distinct()); // the same fact, the same id: the engine drops the repeat
        Assert.Equal(5, ready[0].Offset);
    }

    [Fact]
    public async Task A_job_event_carries_QEMUs_time_and_is_forwarded_while_the_broker_has_not_confirmed_the_one_before()
    {
        var running = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero).AddTicks(70);
        var ready = running.AddSeconds(7);
        await using var qemu = JobAfterSnapshot(("running", running), ("ready", ready));
        // The broker never confirms the first job event: a worker that waited for it would not read READY until it did.
        var sink = new RecordingSink { HoldWhere = e => e is JobStatusChanged { Status: "running" } };
        await using var worker = await WorkerHarness.StartAsync(qemu.SocketPath, output, sink: sink);

        var readyEvent = await sink.WaitForAsync<JobStatusChanged>(e => e.JobId == "j1" && e.Status == "ready");
        var runningEvent = Assert.Single(sink.Of<JobStatusChanged>(), e => e.Status == "running");
        Assert.Equal((running, ready), (runningEvent.At, readyEvent.At));
        Assert.True(sink.Events.ToList().IndexOf(runningEvent) < sink.Events.ToList().IndexOf(readyEvent), "handed over in QEMU's order");
        sink.Release();
    }

    [Fact]
    public async Task A_snapshot_reports_a_status_seen_as_an_event_with_QEMUs_time_of_it()
    {
        var ready = new DateTimeOffset(2001, 2, 3, 4, 5, 13, TimeSpan.Zero).AddTicks(70);
        await using var qemu = JobAfterSnapshot(("ready", ready));
        await using var worker = await WorkerHarness.StartAsync(qemu.SocketPath, output);
        await worker.Sink.WaitForAsync<JobStatusChanged>(e => e.JobId == "j1" && e.Status == "ready");

        // A broker outage ends: the worker reports every job again. MassTransit may deliver the event made during the
        // outage after this re-report, so the re-report must tell the same fact the same way: same id, QEMU's time.
        worker.Worker.ReportAgain("test");
        await worker.Sink.WaitForAsync<VmJobsSnapshot>(s => s.Jobs.Count == 1);
        await worker.Sink.WaitForAsync<JobStatusChanged>(_ => worker.Sink.Of<JobStatusChanged>().Count(e => e.JobId == "j1" && e.Status == "ready") == 2);

        var copies = worker.Sink.Of<JobStatusChanged>().Where(e => e.JobId == "j1" && e.Status == "ready").ToList();
        Assert.All(copies, e => Assert.Equal((copies[0].EventId, ready), (e.EventId, e.At)));
    }

    /// <summary>
    /// A fake QEMU with no job until the worker's first snapshot (its <c>query-status</c>), then job <c>j1</c> going through
    /// <paramref name="statuses"/>, each a <c>JOB_STATUS_CHANGE</c> with that timestamp; <c>query-jobs</c> then shows it READY.
    /// </summary>
    private static FakeSocketServer JobAfterSnapshot(params (string Status, DateTimeOffset At)[] statuses) =>
        FakeSocketServer.Start(async (connection, ct) =>
        {
            if (!await connection.NegotiateAsync(ct)) return;
            var sent = false;
            while (await connection.ReadLineAsync(ct) is { } line)
            {
                var request = JsonNode.Parse(line)!;
                var command = request["execute"]!.GetValue<string>();
                var reply = command switch
                {
                    "query-jobs" when sent => """[{"id": "j1", "type": "mirror", "status": "ready", "current-progress": 5, "total-progress": 5}]""",
                    "query-status" => """{"status": "running", "running": true, "singlestep": false}""",
                    _ => "[]",
                };
                await connection.SendLineAsync($$"""{"return": {{reply}}, "id": {{request["id"]!.ToJsonString()}}}""", ct);
                if (command != "query-status" || sent) continue;
                sent = true;
                foreach (var (status, at) in statuses)
                {
                    var micros = (at - DateTimeOffset.UnixEpoch).Ticks / 10;
                    await connection.SendLineAsync($$$"""{"event": "JOB_STATUS_CHANGE", "data": {"id": "j1", "status": "{{{status}}}"}, "timestamp": {"seconds": {{{micros / 1_000_000}}}, "microseconds": {{{micros % 1_000_000}}}}}""", ct);
                }
            }
        });
}
