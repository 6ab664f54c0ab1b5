namespace VirtFlow.Distributed.Tests;

/// <summary>
/// The broker shut down twice (same node, same durable queues when it comes back): while an instance waits for READY
/// and READY happens (events from the worker to the server), then while the instance passes its gate and sends the
/// pivot (commands from the server to the worker). Server and worker reconnect and nothing is lost.
/// </summary>
public sealed class When_rabbitmq_stops_mid_run(ServersFixture servers, ITestOutputHelper output)
    : DistributedTest(servers, output)
{
    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_events_and_commands_of_the_outages_arrive_afterwards_and_the_move_completes(string store)
    {
        await using var setup = await OneVmClusterAsync(store, 8L << 20);
        var (cluster, vm, host, moves, server, worker) = setup;

        var gate = "gate-" + cluster.Tag;
        var id = await cluster.SendStartAsync(GatedMove, Gated(host, "vm1", moves, speed: 256 << 10, gate: gate));
        await cluster.WaitUntilAsync(id, (_, b) => b.Any(x => x.StepPath?.EndsWith("wait", StringComparison.Ordinal) == true), "waiting for READY");

        try
        {
            var logged = worker.Stderr.Length;
            cluster.Servers.Rabbit.Stop();
            await VmDisks.SetSpeedAsync(vm, 0);
            await Eventually.Until(async () => (await vm.Monitor.QueryJobsAsync()).All(j => j.Status == "ready"), TimeSpan.FromSeconds(60), "both mirrors READY");
            // READY happened while the broker is away, and the worker knows it is away: its bus logged a failed connection
            // since the stop (the events of READY wait in its buffer; they must arrive after the outage).
            await Eventually.Until(() => Task.FromResult(worker.Stderr[logged..].Contains("Connection Failed: rabbitmq://", StringComparison.Ordinal)),
                Cluster.Finish, $"the worker's bus noticing the outage\n{worker}");
            Assert.False(server.HasExited, server.ToString());
            Assert.False(worker.HasExited, worker.ToString());
        }
        finally
        {
            cluster.Servers.Rabbit.Start();
        }

        await cluster.WaitsAtAsync(id, "gate");
        Assert.Equal("sources", await VmDisks.SideAsync(vm, moves));

        try
        {
            cluster.Servers.Rabbit.Stop();
            await cluster.SendEventAsync("gate", gate); // through the store: the server goes on and must send the pivot
            await Eventually.Until(async () => (await cluster.Store.OutboxAsync(id)).Any(r => r.MessageType == "PivotJobs"), Cluster.Finish, "the pivot in the outbox");
            // The server tries to send it and fails: the outbox counts the attempt and keeps the pivot for a retry.
            await Eventually.Until(async () => (await cluster.Store.OutboxAsync(id)).Single(r => r.MessageType == "PivotJobs") is { Attempts: > 0, Dispatched: false },
                Cluster.Finish, $"a failed attempt to send the pivot\n{cluster.Logs()}");
            Assert.Equal("sources", await VmDisks.SideAsync(vm, moves));
            Assert.True((await vm.Monitor.QueryStatusAsync()).Running, "not quiesced while the broker is down");
        }
        finally
        {
            cluster.Servers.Rabbit.Start();
        }

        var instance = await cluster.WaitForEndAsync(id);
        Assert.True(instance.Status == InstanceStatus.Completed, await cluster.DescribeAsync(id));
        await VmDisks.AssertMovedAsync(vm, moves);
        Assert.False(server.HasExited, "the server outlived the outage");
        Assert.False(worker.HasExited, "the worker outlived the outage");
        var journal = await cluster.JournalAsync(id);
        Assert.Single(journal, j => j.Kind == "Pivoted");
        Assert.DoesNotContain(journal, j => j.Kind == "MirrorsCancelled");
        await vm.ShutdownAsync();
        await VmDisks.AssertCopiesIdenticalAsync(vm, moves);
    }
}
