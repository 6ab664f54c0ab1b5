namespace VirtFlow.Distributed.Tests;

/// <summary>
/// <c>virtflow server</c> killed with SIGKILL and started again on the same store: while its instance waits for READY,
/// while the worker runs the instance's pivot (after PivotJobs was sent: job-complete, wait for pending, finalize happen
/// in the worker, one command), and while a failed disk awaits the switch. Each time the instance ends the way the VM
/// ended, the journal says which, and no disk is half moved.
/// </summary>
public sealed class When_the_server_is_killed(ServersFixture servers, ITestOutputHelper output)
    : DistributedTest(servers, output)
{
    [Theory]
    [MemberData(nameof(Stores))]
    public async Task While_the_instance_waits_for_ready_the_restarted_server_completes_the_move(string store)
    {
        await using var setup = await OneVmClusterAsync(store, 8L << 20);
        var (cluster, vm, host, moves, server, _) = setup;

        var id = await cluster.SendStartAsync(GatedMove, Gated(host, "vm1", moves, speed: 256 << 10));
        await cluster.WaitUntilAsync(id, (_, b) => b.Any(x => x.StepPath?.EndsWith("wait", StringComparison.Ordinal) == true), "waiting for READY");
        server.Kill();

        // READY comes while no server runs: the worker's events wait in the engine's queue.
        await VmDisks.SetSpeedAsync(vm, 0);
        await Eventually.Until(async () => (await vm.Monitor.QueryJobsAsync()).All(j => j.Status == "ready"), TimeSpan.FromSeconds(60), "both mirrors READY");
        Assert.Equal("sources", await VmDisks.SideAsync(vm, moves));
        await cluster.StartServerAsync();

        var instance = await cluster.WaitForEndAsync(id);
        Assert.True(instance.Status == InstanceStatus.Completed, await cluster.DescribeAsync(id));
        await VmDisks.AssertMovedAsync(vm, moves);
        var journal = await cluster.JournalAsync(id);
        Assert.Single(journal, j => j.Kind == "Pivoted");
        Assert.Single(journal, j => j.Kind == "InstanceCompleted");
        Assert.DoesNotContain(journal, j => j.Kind == "MirrorsCancelled");
        await vm.ShutdownAsync();
        await VmDisks.AssertCopiesIdenticalAsync(vm, moves);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task While_the_worker_drives_the_jobs_from_pending_to_finalize_the_restarted_server_records_the_switch(string store)
    {
        await using var setup = await OneVmClusterAsync(store, 2L << 20);
        var (cluster, vm, host, moves, server, _) = setup;
        var gate = "gate-" + cluster.Tag;

        var id = await cluster.SendStartAsync(GatedMove, Gated(host, "vm1", moves, gate: gate));
        await cluster.WaitsAtAsync(id, "gate");

        // The worker runs the whole switch in one command (PivotJobs): pause, job-complete for every job, wait until all
        // are pending, finalize all, resume. QEMU is stopped (SIGSTOP) before the gate opens, so the worker, once it has
        // the command, waits on its first query in the socket of a QEMU that runs nothing. The server dies then: the
        // pause, complete -> pending -> finalize and the resume happen in the worker alone. (Freezing QEMU on the pause's
        // STOP event instead raced with the switch: on a loaded machine the test's reader saw the STOP after the worker
        // had finished and the server had recorded it.)
        vm.Process.Freeze();
        try
        {
            await cluster.SendEventAsync("gate", gate);
            await Eventually.Until(async () =>
                (await cluster.Store.OutboxAsync(id)).FirstOrDefault(r => r.MessageType == "PivotJobs" && r.Dispatched), Cluster.Finish, $"PivotJobs sent\n{cluster.Logs()}");
            server.Kill();
            Assert.DoesNotContain(await cluster.JournalAsync(id), j => j.Kind == "Pivoted");
        }
        finally
        {
            vm.Process.Thaw();
        }

        // The worker goes on alone: the jobs pend, and are finalized together.
        await Eventually.Until(async () => await VmDisks.SideAsync(vm, moves) != "sources", TimeSpan.FromSeconds(60), "the switch");
        Assert.Equal("targets", await VmDisks.SideAsync(vm, moves));
        await cluster.StartServerAsync();

        var instance = await cluster.WaitForEndAsync(id);
        Assert.True(instance.Status == InstanceStatus.Completed, await cluster.DescribeAsync(id));
        await VmDisks.AssertMovedAsync(vm, moves);
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running, "resumed after the switch");
        var journal = await cluster.JournalAsync(id);
        Assert.Single(journal, j => j.Kind == "Pivoted");
        Assert.Single(journal, j => j.Kind == "InstanceCompleted");
        Assert.DoesNotContain(journal, j => j.Kind == "MirrorsCancelled");
        Assert.Single(await cluster.Store.OutboxAsync(id), r => r.MessageType == "PivotJobs");
        await vm.ShutdownAsync();
        await VmDisks.AssertCopiesIdenticalAsync(vm, moves);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task While_a_disk_fails_before_the_switch_the_restarted_server_rolls_every_disk_back_and_says_so(string store)
    {
        await using var setup = await OneVmClusterAsync(store, 2L << 20);
        var (cluster, vm, host, moves, server, _) = setup;
        var gate = "gate-" + cluster.Tag;

        var id = await cluster.SendStartAsync(GatedMove, Gated(host, "vm1", moves, gate: gate));
        await cluster.WaitsAtAsync(id, "gate");
        server.Kill();

        // While no server runs, vdb's mirror dies (cancelled from outside, as a failed target would end it).
        var vdbJob = (await vm.Monitor.QueryJobsAsync()).Single(j => j.Id.EndsWith("-vdb", StringComparison.Ordinal));
        await vm.Monitor.BlockJobCancelAsync(vdbJob.Id, force: true);
        await Eventually.Until(async () => (await vm.Monitor.QueryJobsAsync()).Any(j => j.Id == vdbJob.Id && j.Status == "concluded"), TimeSpan.FromSeconds(30), "vdb's job concluded");
        await cluster.StartServerAsync();
        await cluster.SendEventAsync("gate", gate);

        var instance = await cluster.WaitForEndAsync(id);
        Assert.True(instance.Status == InstanceStatus.Faulted, await cluster.DescribeAsync(id));
        Assert.Contains("vdb", instance.Fault, StringComparison.Ordinal);
        await VmDisks.AssertOnSourcesAsync(vm, moves);
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running, "resumed after the failed switch");
        var journal = await cluster.JournalAsync(id);
        Assert.DoesNotContain(journal, j => j.Kind == "Pivoted");
        Assert.Contains(journal, j => j.Kind == "InstanceFaulted");
        Assert.Contains(journal, j => j.Kind == "StepStarted" && j.StepPath?.EndsWith("rollback", StringComparison.Ordinal) == true);
    }
}
