namespace VirtFlow.Distributed.Tests;

/// <summary>workflows/point-in-time-copy.yaml and workflows/copy-disks-pivot.yaml, as shipped, through <c>virtflow start --wait</c>, server and worker.</summary>
public sealed class When_the_shipped_workflows_run_through_server_and_worker(ServersFixture servers, ITestOutputHelper output)
    : DistributedTest(servers, output)
{
    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_point_in_time_copy_leaves_the_vm_on_its_sources_and_a_move_puts_it_on_identical_targets(string store)
    {
        await using var setup = await OneVmClusterAsync(store, 4L << 20);
        var (cluster, vm, host, _, server, worker) = setup;

        var copies = DiskMove.For(vm, "copy", "vda", "vdb");
        var (code, copy, start) = await cluster.StartAndWaitAsync(PointInTimeCopy, DiskMove.Inputs(host, "vm1", "pause", copies));
        Assert.True(code == 0 && copy is not null, $"{start}\n{cluster.Logs()}");
        Assert.Equal("completed", copy!["status"]!.GetValue<string>());
        Assert.Equal(2, copy["outputs"]!["copies"]!.AsArray().Count);
        await VmDisks.AssertOnSourcesAsync(vm, copies);
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running, "resumed after the copy");

        var moves = DiskMove.For(vm, "moved", "vda", "vdb");
        var (moveCode, move, moveStart) = await cluster.StartAndWaitAsync(CopyDisksPivot, DiskMove.Inputs(host, "vm1", "pause", moves));
        Assert.True(moveCode == 0 && move is not null, $"{moveStart}\n{cluster.Logs()}");
        Assert.Equal("completed", move!["status"]!.GetValue<string>());
        Assert.Equal("pause", move["outputs"]!["quiesceMethod"]!.GetValue<string>());
        await VmDisks.AssertMovedAsync(vm, moves);
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running, "resumed after the switch");

        // The store the server wrote says the same.
        foreach (var id in new[] { copy["id"]!.GetValue<string>(), move["id"]!.GetValue<string>() })
        {
            var instance = await cluster.Db.GetInstanceAsync(id);
            Assert.True(instance?.Status == InstanceStatus.Completed, await cluster.DescribeAsync(id));
        }
        var journal = await cluster.JournalAsync(move["id"]!.GetValue<string>());
        Assert.Single(journal, j => j.Kind == "Pivoted");
        Assert.DoesNotContain(journal, j => j.Kind == "MirrorsCancelled");

        // SIGTERM: both stop gracefully.
        worker.Terminate();
        server.Terminate();
        Assert.True(await worker.WaitForExitAsync(Cluster.ProcessStart) == 0, worker.ToString());
        Assert.True(await server.WaitForExitAsync(Cluster.ProcessStart) == 0, server.ToString());

        await vm.ShutdownAsync();
        await VmDisks.AssertCopiesIdenticalAsync(vm, copies);
        await VmDisks.AssertCopiesIdenticalAsync(vm, moves);
    }
}
