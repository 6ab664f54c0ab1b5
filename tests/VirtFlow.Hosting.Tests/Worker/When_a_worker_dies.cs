using VirtFlow.Contracts;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Worker;

/// <summary>
/// A <c>virtflow worker</c> killed with SIGKILL: a standby for the same host (single active consumer) takes its queue
/// over; a worker restarted while QEMU still runs its mirror reports the job, and the mirror command sent again with
/// the same id finds it instead of starting a second one; a VM paused under the killed worker's quiesce lease runs
/// again when the lease ends (the next worker reads it from the state folder), unless it was paused before.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class When_a_worker_dies(RabbitMqFixture rabbit)
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(120);

    [Fact]
    public Task A_standby_worker_takes_over_the_host_queue() => StandbyAsync().WaitAsync(TimeSpan.FromMinutes(6));

    private async Task StandbyAsync()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var hostId = WorkerProcesses.NewHostId();
        await using var engine = await EngineSide.StartAsync(rabbit.Server, hostId);
        await using var active = await WorkerProcesses.StartAsync(rabbit.Server, hostId, vm);
        await engine.WaitForAsync<VmJobsSnapshot>(s => s.Vm == "vm1", Answer, "the active worker's snapshot");
        await using var standby = await WorkerProcesses.StartAsync(rabbit.Server, hostId, vm);
        await Eventually.Until(() => Task.FromResult(engine.Events.OfType<WorkerOnline>().Select(o => o.WorkerId).Distinct().Count() == 2),
            Answer, "both workers online");

        await engine.SendAsync(new QueryVm { CommandId = "before", HostId = hostId, Vm = "vm1" });
        Assert.True((await engine.ResultAsync("before")).Success);

        var killed = DateTimeOffset.UtcNow;
        active.Kill();
        // The standby gets the QMP monitor once the dead worker's connection is gone, and reports what QEMU has.
        await engine.WaitForAsync<VmJobsSnapshot>(s => s.At > killed, Answer, "the standby's snapshot");
        await engine.SendAsync(new PauseVm { CommandId = "after", HostId = hostId, Vm = "vm1" });
        var after = await engine.ResultAsync("after");
        Assert.True(after.Success, after.Error);
        Assert.False((await vm.Monitor.QueryStatusAsync()).Running, "the standby paused the VM");
        Assert.False(standby.HasExited, standby.ToString());
    }

    [Fact]
    public Task A_worker_killed_mid_mirror_reports_the_job_when_restarted_and_the_resent_command_changes_nothing() =>
        RestartAsync().WaitAsync(TimeSpan.FromMinutes(6));

    private async Task RestartAsync()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true, PrefillBytes = 32L << 20 });
        var hostId = WorkerProcesses.NewHostId();
        await using var engine = await EngineSide.StartAsync(rabbit.Server, hostId);
        var mirror = WorkerProcesses.Mirror(hostId, "mirror-1", vm, speed: 256 << 10);
        await using (var first = await WorkerProcesses.StartAsync(rabbit.Server, hostId, vm))
        {
            await engine.SendAsync(mirror);
            var started = await engine.ResultAsync("mirror-1");
            Assert.True(started.Success, started.Error);
            var result = HostResultJson.Read<MirrorDisksResult>(started)!;
            Assert.False(Assert.Single(result.Disks).Existing);
            first.Kill();
        }
        var killed = DateTimeOffset.UtcNow;
        var running = Assert.Single(await vm.Monitor.QueryJobsAsync());
        Assert.Equal("m-vda", running.Id);

        await using var second = await WorkerProcesses.StartAsync(rabbit.Server, hostId, vm);
        var snapshot = await engine.WaitForAsync<VmJobsSnapshot>(s => s.At > killed, Answer, "the restarted worker's snapshot");
        var job = Assert.Single(snapshot.Jobs);
        Assert.Equal("m-vda", job.JobId);
        Assert.Contains(job.Status, new[] { JobStatus.Running, JobStatus.Ready });
        await engine.WaitForAsync<JobStatusChanged>(j => j.JobId == "m-vda" && j.At > killed, Answer, "the job reported again");

        var resultsBefore = engine.Events.OfType<CommandResult>().Count(r => r.CommandId == "mirror-1");
        await engine.SendAsync(mirror);
        await Eventually.Until(() => Task.FromResult(engine.Events.OfType<CommandResult>().Count(r => r.CommandId == "mirror-1") > resultsBefore),
            Answer, "the answer to the re-sent command");
        var again = engine.Events.OfType<CommandResult>().Last(r => r.CommandId == "mirror-1");
        Assert.True(again.Success, again.Error);
        Assert.True(Assert.Single(HostResultJson.Read<MirrorDisksResult>(again)!.Disks).Existing, again.ResultJson);
        var jobs = await vm.Monitor.QueryJobsAsync();
        Assert.Equal("m-vda", Assert.Single(jobs).Id);
        await vm.Monitor.BlockJobCancelAsync("m-vda", force: true);
    }

    [Fact]
    public Task A_vm_paused_under_a_killed_workers_lease_runs_again_when_the_lease_ends_unless_it_was_paused_before() =>
        PausedLeaseAsync().WaitAsync(TimeSpan.FromMinutes(8));

    private async Task PausedLeaseAsync()
    {
        var slack = TimeSpan.FromSeconds(15); // "a few seconds" on a loaded test machine
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var hostId = WorkerProcesses.NewHostId();
        await using var engine = await EngineSide.StartAsync(rabbit.Server, hostId);

        // 1. Paused by a quiesce under a 20 s lease, then the worker is killed: the lease lives on in its state folder.
        QuiesceResult first;
        await using (var dead = await WorkerProcesses.StartAsync(rabbit.Server, hostId, vm))
        {
            await engine.SendAsync(new QuiesceVm { CommandId = "pause-1", HostId = hostId, Vm = "vm1", Mode = QuiesceModes.Pause, Lease = TimeSpan.FromSeconds(20) });
            var paused = await engine.ResultAsync("pause-1", Answer);
            Assert.True(paused.Success, paused.Error);
            first = HostResultJson.Read<QuiesceResult>(paused)!;
            Assert.False(first.WasPaused);
            Assert.False((await vm.Monitor.QueryStatusAsync()).Running);
            dead.Kill();
        }

        // The next worker takes the lease over: the VM stays paused while the lease runs, and runs again when it ends.
        await using var second = await WorkerProcesses.StartAsync(rabbit.Server, hostId, vm);
        var ready = DateTimeOffset.UtcNow;
        if (ready < first.ExpiresAt - TimeSpan.FromSeconds(3))
        {
            await second.WaitForErrorAsync("took over lease " + first.LeaseId, Answer);
            if (DateTimeOffset.UtcNow < first.ExpiresAt - TimeSpan.FromSeconds(1))
                Assert.False((await vm.Monitor.QueryStatusAsync()).Running, "resumed before the lease ended");
        }
        var deadline = (ready > first.ExpiresAt ? ready : first.ExpiresAt) + slack;
        await Eventually.Until(async () => (await vm.Monitor.QueryStatusAsync()).Running, deadline - DateTimeOffset.UtcNow,
            $"the VM running again by {deadline:HH:mm:ss} (lease end {first.ExpiresAt:HH:mm:ss}, second worker ready {ready:HH:mm:ss})\n{second}");
        Assert.True(DateTimeOffset.UtcNow >= first.ExpiresAt - TimeSpan.FromSeconds(1), "resumed before the lease ended");
        var expired = await engine.WaitForAsync<QuiesceLeaseExpired>(e => e.LeaseId == first.LeaseId, Answer, "QuiesceLeaseExpired of pause-1");
        Assert.True(expired.Released && expired.Resumed, $"released {expired.Released}, resumed {expired.Resumed}");

        // 2. The operator paused the VM before the quiesce: the lease that ran out while no worker held it leaves it paused.
        await vm.Monitor.ExecuteAsync("stop");
        await engine.SendAsync(new QuiesceVm { CommandId = "pause-2", HostId = hostId, Vm = "vm1", Mode = QuiesceModes.Pause, Lease = TimeSpan.FromSeconds(3) });
        var again = await engine.ResultAsync("pause-2", Answer);
        Assert.True(again.Success, again.Error);
        var operatorPaused = HostResultJson.Read<QuiesceResult>(again)!;
        Assert.True(operatorPaused.WasPaused);
        second.Kill();
        // No worker runs until the lease's end has passed (a deadline, not a synchronisation: nobody is there to watch).
        await Eventually.Until(() => Task.FromResult(DateTimeOffset.UtcNow > operatorPaused.ExpiresAt), Answer, $"the end of lease {operatorPaused.LeaseId}");

        await using var third = await WorkerProcesses.StartAsync(rabbit.Server, hostId, vm);
        var ended = await engine.WaitForAsync<QuiesceLeaseExpired>(e => e.LeaseId == operatorPaused.LeaseId, Answer, "QuiesceLeaseExpired of pause-2");
        Assert.True(ended.Released, ended.Error);
        Assert.False(ended.Resumed, "the lease resumed a VM the operator had paused");
        await third.WaitForErrorAsync("left by a previous worker ran out", Answer); // the branch under test: no worker held it
        Assert.Contains($"lease {operatorPaused.LeaseId} (", third.Stderr, StringComparison.Ordinal);
        // A command answered by the third worker after the release: whatever the release did to the VM is done by now.
        await engine.SendAsync(new QueryVm { CommandId = "after-3", HostId = hostId, Vm = "vm1" });
        var queried = await engine.ResultAsync("after-3", Answer);
        Assert.True(queried.Success, queried.Error);
        Assert.False(HostResultJson.Read<QueryVmResult>(queried)!.Running, "a VM the operator had paused runs");
        Assert.False((await vm.Monitor.QueryStatusAsync()).Running, "a VM the operator had paused runs");
        Assert.False(third.HasExited, third.ToString());
    }
}
