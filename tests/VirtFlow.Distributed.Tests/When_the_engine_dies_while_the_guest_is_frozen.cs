namespace VirtFlow.Distributed.Tests;

/// <summary>
/// The tiny guest (a real Linux writing to its disk) frozen through its agent under a 6 s lease, then the server killed
/// with SIGKILL: nobody will send the thaw, so the worker's lease thaws it. The restarted server finishes the instance.
/// </summary>
public sealed class When_the_engine_dies_while_the_guest_is_frozen(ServersFixture servers, ITestOutputHelper output)
    : DistributedTest(servers, output)
{
    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_workers_lease_thaws_the_guest_and_the_restarted_server_finds_nothing_left_to_thaw(string store)
    {
        await using var cluster = await ClusterAsync(store);
        var serverStarting = cluster.StartServerAsync();
        await using var guest = await TinyGuest.StartAsync();
        await guest.WaitForCounterAsync(n => n > 0, TimeSpan.FromSeconds(60));
        var host = cluster.Host("hv");
        var gate = "gate-" + cluster.Tag;
        var worker = await cluster.StartWorkerAsync(host, TestVm.Of("guest", guest));
        var server = await serverStarting;

        var id = await cluster.SendStartAsync(FrozenGate, new() { ["host"] = host, ["vm"] = "guest", ["lease"] = "6s", ["gate"] = gate });
        await cluster.WaitsAtAsync(id, "gate");
        Assert.Contains(await cluster.JournalAsync(id), j => j.Kind == "Quiesced");
        var frozenAt = guest.ReadCounter() ?? 0;
        server.Kill();

        // Frozen: the guest's writes hang, its counter stands still for the whole lease (its end as the worker logged it,
        // less the 50 ms its timer may fire early), and the worker's timer then fires (its log line) and thaws it.
        var leaseEnd = await LeaseEndAsync(worker);
        var whileFrozen = await guest.HighestCounterUntilAsync(() => DateTimeOffset.UtcNow >= leaseEnd - TimeSpan.FromMilliseconds(100),
            TimeSpan.FromSeconds(60), $"the end of the lease ({leaseEnd:o})");
        Assert.True(whileFrozen <= frozenAt + 1, $"the guest kept writing while frozen ({frozenAt} → {whileFrozen})");
        await worker.WaitForErrorAsync("ran out with no unquiesce nor renewal", TimeSpan.FromSeconds(60));
        // Thawed by the lease (6 s), with no engine alive: the guest writes again.
        await guest.WaitForCounterAsync(n => n > frozenAt + 2, TimeSpan.FromSeconds(30));
        Assert.False(worker.HasExited, worker.ToString());

        await cluster.StartServerAsync();
        await cluster.SendEventAsync("gate", gate);
        var instance = await cluster.WaitForEndAsync(id);
        Assert.True(instance.Status == InstanceStatus.Completed, await cluster.DescribeAsync(id));
        Assert.Equal("fsfreeze", instance.Output!["method"]!.GetValue<string>());
        Assert.False(instance.Output["released"]!.GetValue<bool>(), "the lease had already been released by the worker");
        var now = guest.ReadCounter() ?? 0;
        await guest.WaitForCounterAsync(n => n > now + 1, TimeSpan.FromSeconds(30));
    }

    /// <summary>When the worker's lease ends: "quiesced by fsfreeze under lease L until 2026-...+00:00 (...)" in its log.</summary>
    private static async Task<DateTimeOffset> LeaseEndAsync(VirtFlowProcess worker)
    {
        var match = await Eventually.Until(() => Task.FromResult(
                System.Text.RegularExpressions.Regex.Match(worker.Stderr, @"quiesced by fsfreeze under lease \S+ until (\S+) \(") is { Success: true } m ? m : null),
            TimeSpan.FromSeconds(60), $"the Quiesced line in the worker's log\n{worker}");
        return DateTimeOffset.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
