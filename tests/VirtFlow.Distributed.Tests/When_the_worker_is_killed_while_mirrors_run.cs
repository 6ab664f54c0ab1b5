namespace VirtFlow.Distributed.Tests;

/// <summary>
/// <c>virtflow worker</c> killed with SIGKILL while its VM's mirrors copy (held before READY by a speed limit), then started
/// again: the mirrors go on in QEMU meanwhile, the new worker reports what QEMU has, and the instance completes.
/// </summary>
public sealed class When_the_worker_is_killed_while_mirrors_run(ServersFixture servers, ITestOutputHelper output)
    : DistributedTest(servers, output)
{
    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_restarted_worker_lets_the_instance_complete_with_every_disk_moved_once(string store)
    {
        await using var setup = await OneVmClusterAsync(store, 8L << 20);
        var (cluster, vm, host, moves, _, worker) = setup;

        var id = await cluster.SendStartAsync(GatedMove, Gated(host, "vm1", moves, speed: 256 << 10));
        await cluster.WaitUntilAsync(id, (_, b) => b.Any(x => x.StepPath?.EndsWith("wait", StringComparison.Ordinal) == true), "waiting for READY");
        var jobs = await vm.Monitor.QueryJobsAsync();
        Assert.True(jobs.Count == 2 && jobs.All(j => j.Status == "running"), string.Join(", ", jobs));

        worker.Kill();
        // QEMU owns the jobs: they go on without the worker.
        Assert.Equal(2, (await vm.Monitor.QueryJobsAsync()).Count(j => j.Status == "running"));
        await VmDisks.SetSpeedAsync(vm, 0);
        await cluster.StartWorkerAsync(host, TestVm.Of("vm1", vm));

        var instance = await cluster.WaitForEndAsync(id);
        Assert.True(instance.Status == InstanceStatus.Completed, await cluster.DescribeAsync(id));
        await VmDisks.AssertMovedAsync(vm, moves);
        var journal = await cluster.JournalAsync(id);
        Assert.Single(journal, j => j.Kind == "StepStarted" && j.StepPath?.EndsWith("mirror", StringComparison.Ordinal) == true);
        Assert.Single(journal, j => j.Kind == "Pivoted");
        Assert.DoesNotContain(journal, j => j.Kind is "MirrorsCancelled" or "MirrorRestarting");

        await vm.ShutdownAsync();
        await VmDisks.AssertCopiesIdenticalAsync(vm, moves);
    }
}
