namespace VirtFlow.Distributed.Tests;

/// <summary>
/// The same start message twice, the mirror command sent again with its id (as after a crash between the broker's
/// confirmation and the outbox mark), the gate event twice: one instance, one mirror per disk, one switch.
/// </summary>
public sealed class When_a_command_or_event_is_duplicated(ServersFixture servers, ITestOutputHelper output)
    : DistributedTest(servers, output)
{
    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Nothing_happens_twice(string store)
    {
        await using var setup = await OneVmClusterAsync(store, 2L << 20);
        var (cluster, vm, host, moves, _, worker) = setup;
        var gate = "gate-" + cluster.Tag;

        // The start message twice, same id.
        var id = "dup-" + cluster.Tag;
        var inputs = Gated(host, "vm1", moves, gate: gate);
        await cluster.StartAsync(GatedMove, inputs, id);
        await cluster.StartAsync(GatedMove, inputs.DeepClone().AsObject(), id);
        await cluster.WaitsAtAsync(id, "gate");
        var jobs = (await vm.Monitor.QueryJobsAsync()).Select(j => j.Id).Order().ToList();
        Assert.Equal(2, jobs.Count);

        // The mirror command again, same id: the worker answers it without a second mirror, the engine drops the answer.
        var mirror = Assert.Single(await cluster.Store.OutboxAsync(id), r => r.MessageType == "MirrorDisks");
        await cluster.Store.MarkPendingAsync(mirror.Id);
        await Eventually.Until(async () => (await cluster.Store.OutboxAsync(id)).Single(r => r.Id == mirror.Id).Dispatched, Cluster.Finish, $"MirrorDisks sent again\n{cluster.Logs()}");
        // The worker finds the command's first result and answers with it (its log says so) instead of mirroring again.
        await worker.WaitForErrorAsync($"MirrorDisks {mirror.Id} for VM vm1 seen before: answering with its first result", Cluster.Finish);
        Assert.False(worker.HasExited, worker.ToString());
        Assert.Equal(jobs, (await vm.Monitor.QueryJobsAsync()).Select(j => j.Id).Order().ToList());
        Assert.All(await vm.Monitor.QueryJobsAsync(), j => Assert.Equal("ready", j.Status));

        // The gate event twice, same id.
        await cluster.SendEventAsync("gate", gate, "gate-event-" + cluster.Tag);
        await cluster.SendEventAsync("gate", gate, "gate-event-" + cluster.Tag);

        var instance = await cluster.WaitForEndAsync(id);
        Assert.True(instance.Status == InstanceStatus.Completed, await cluster.DescribeAsync(id));
        await VmDisks.AssertMovedAsync(vm, moves);
        var journal = await cluster.JournalAsync(id);
        Assert.Single(journal, j => j.Kind == "InstanceStarted");
        Assert.Single(journal, j => j.Kind == "StepStarted" && j.StepPath?.EndsWith("mirror", StringComparison.Ordinal) == true);
        Assert.Single(journal, j => j.Kind == "Resumed" && j.StepPath?.EndsWith("gate", StringComparison.Ordinal) == true);
        Assert.Single(journal, j => j.Kind == "Pivoted");
        Assert.Equal(id, Assert.Single(await cluster.Db.ListInstancesAsync(new InstanceQuery(WorkflowName: GatedMove))).Id);
        await vm.ShutdownAsync();
        await VmDisks.AssertCopiesIdenticalAsync(vm, moves);
    }
}
