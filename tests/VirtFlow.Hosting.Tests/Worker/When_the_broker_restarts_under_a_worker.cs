using VirtFlow.Contracts;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Worker;

/// <summary>
/// RabbitMQ stopped and started while a <c>virtflow worker</c> runs a mirror: what QEMU reported meanwhile (the mirror
/// becoming READY) is published once the broker is back, followed by a fresh snapshot, and the worker serves commands again.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class When_the_broker_restarts_under_a_worker(RabbitMqFixture rabbit, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(120);

    [Fact]
    public Task The_events_of_the_outage_arrive_after_it_followed_by_a_snapshot() => RunAsync().WaitAsync(TimeSpan.FromMinutes(8));

    private async Task RunAsync()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true, PrefillBytes = 32L << 20 });
        var hostId = WorkerProcesses.NewHostId();
        await using var engine = await EngineSide.StartAsync(rabbit.Server, hostId);
        // -v: the worker logs each job status it reads from QEMU, so the test can tell when it has read READY.
        await using var worker = await WorkerProcesses.StartAsync(rabbit.Server, hostId, vm, "-v");
        await engine.WaitForAsync<VmJobsSnapshot>(s => s.Vm == "vm1", Answer, "the snapshot on connect");
        // QEMU's own READY, with its timestamp, read on the test's monitor.
        using var qemuEvents = vm.Monitor.Subscribe(e => e.Is("JOB_STATUS_CHANGE") && e.GetString("id") == "m-vda" && e.GetString("status") == JobStatus.Ready);

        await engine.SendAsync(WorkerProcesses.Mirror(hostId, "mirror-1", vm, speed: 256 << 10));
        var started = await engine.ResultAsync("mirror-1");
        Assert.True(started.Success, started.Error);
        await engine.WaitForAsync<JobStatusChanged>(j => j.JobId == "m-vda" && j.Status == JobStatus.Running, Answer, "the mirror running");

        rabbit.Server.Stop();
        DateTimeOffset restarted;
        QmpEvent qemuReady;
        try
        {
            // While the broker is away the mirror catches up and becomes READY: the worker reads it but cannot tell anyone yet.
            await vm.Monitor.BlockJobSetSpeedAsync("m-vda", 0);
            using (var limit = new CancellationTokenSource(Answer)) qemuReady = await qemuEvents.Reader.ReadAsync(limit.Token);
            await worker.WaitForErrorAsync("job m-vda is ready", Answer);
            Assert.DoesNotContain(engine.Events, e => e is JobStatusChanged { JobId: "m-vda", Status: JobStatus.Ready });
        }
        finally
        {
            restarted = DateTimeOffset.UtcNow;
            rabbit.Server.Start();
        }

        // READY as QEMU timed it during the outage. Whichever copy comes first (the event of the outage, or the re-report
        // that follows the outage: MassTransit may deliver a publish made while the broker was away after later ones), it
        // is the same fact with the same id and QEMU's time, not the time the worker happened to re-read it.
        var ready = await engine.WaitForAsync<JobStatusChanged>(j => j.JobId == "m-vda" && j.Status == JobStatus.Ready, Answer, "READY after the outage");
        Assert.True(ready.At == qemuReady.Timestamp && ready.At < restarted,
            $"READY carries {ready.At:O}, QEMU emitted it at {qemuReady.Timestamp:O}, the broker was restarted at {restarted:O}\n{engine.Describe()}\n{worker}");
        var snapshot = await engine.WaitForAsync<VmJobsSnapshot>(s => s.At > restarted, Answer, "a snapshot after the outage");
        var job = Assert.Single(snapshot.Jobs);
        Assert.Equal(("m-vda", JobStatus.Ready), (job.JobId, job.Status));
        var events = engine.Events.ToList();
        Assert.True(events.IndexOf(ready) < events.IndexOf(snapshot), engine.Describe());

        await engine.SendAsync(new QueryVm { CommandId = "query-after", HostId = hostId, Vm = "vm1" });
        var query = await engine.ResultAsync("query-after");
        Assert.True(query.Success, query.Error);
        Assert.False(worker.HasExited, worker.ToString());
        await vm.Monitor.BlockJobCancelAsync("m-vda", force: true);
        output.WriteLine(worker.ToString());
        output.WriteLine(engine.Describe());
    }
}
