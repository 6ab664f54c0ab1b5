using System.Diagnostics;
using System.Text.Json.Nodes;
using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

/// <summary>The guest-agent client against a scripted fake agent: timeouts, stale replies, errors, disconnects.</summary>
public sealed class QgaClientTransportTests
{
    private static readonly QgaClientOptions Quick = new() { ConnectTimeout = TimeSpan.FromSeconds(5), DefaultTimeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Connecting_to_a_missing_socket_fails_with_ConnectFailed()
    {
        var e = await Assert.ThrowsAsync<QmpException>(() =>
            QgaClient.ConnectAsync(Path.Combine(VirtFlow.Testing.TestDirs.Create("qga-none"), "qga.sock"), Quick));
        Assert.Equal(QmpErrorClasses.ConnectFailed, e.ErrorClass);
        Assert.False(e.IsQemuError);
    }

    [Fact]
    public async Task A_listener_that_never_answers_times_out_the_connect_quickly()
    {
        await using var agent = QgaFakeAgent.Start(async (c, ct) => await Task.Delay(Timeout.Infinite, ct));
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<QmpException>(() =>
            QgaClient.ConnectAsync(agent.SocketPath, new QgaClientOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) }));
        Assert.Equal(QmpErrorClasses.Timeout, e.ErrorClass);
        Assert.Equal("guest-sync-delimited", e.Command);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task A_timed_out_call_leaves_the_client_usable_and_its_late_reply_is_discarded()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var agent = QgaFakeAgent.Start(async (c, ct) =>
        {
            await c.AnswerSyncAsync(ct);
            await c.ReadRequestAsync(ct); // guest-ping: answered only after the client gave up
            await release.Task.WaitAsync(ct);
            await c.SendAsync("""{"return": {}}""", ct);
            var sync = await c.ReadRequestAsync(ct);
            await c.SendDelimitedAsync("""{"return": 1}""", ct); // a stale sync reply with another id
            await c.SendDelimitedAsync($$"""{"return": {{sync!["arguments"]!["id"]!.ToJsonString()}}}""", ct);
            await c.ReadRequestAsync(ct);
            await c.SendAsync("""{"return": "thawed"}""", ct);
            await c.ReadRequestAsync(ct);
        });
        await using var client = await QgaClient.ConnectAsync(agent.SocketPath, Quick);

        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<QmpException>(() => client.PingAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(QmpErrorClasses.Timeout, e.ErrorClass);
        Assert.Equal("guest-ping", e.Command);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"took {sw.Elapsed}");
        Assert.True(client.IsConnected);

        release.SetResult();
        Assert.Equal(QgaFsFreezeStatus.Thawed, await client.GetFsFreezeStatusAsync());
        Assert.Equal(["guest-sync-delimited", "guest-ping", "guest-sync-delimited", "guest-fsfreeze-status"], agent.Received);
    }

    [Fact]
    public async Task Calls_timing_out_at_random_points_never_mix_up_replies()
    {
        // An agent that answers everything after 0-3 ms: 1 ms budgets expire before, during and after the reply.
        await using var agent = QgaFakeAgent.Start(async (c, ct) =>
        {
            var random = new Random(42);
            while (await c.ReadRequestAsync(ct) is { } request)
            {
                await Task.Delay(random.Next(0, 4), ct);
                var args = request["arguments"]!;
                if ((string?)request["execute"] == "guest-sync-delimited")
                    await c.SendDelimitedAsync($$"""{"return": {{args["id"]!.ToJsonString()}}}""", ct);
                else
                    await c.SendAsync(new JsonObject { ["return"] = args["n"]!.DeepClone() }.ToJsonString(), ct);
            }
        });
        await using var client = await QgaClient.ConnectAsync(agent.SocketPath, Quick);

        var timeouts = 0;
        for (var i = 1; i <= 200; i++)
        {
            try
            {
                await client.ExecuteAsync("fake-echo", new JsonObject { ["n"] = i }, TimeSpan.FromMilliseconds(1));
            }
            catch (QmpException e) when (e.ErrorClass == QmpErrorClasses.Timeout)
            {
                timeouts++;
            }
            var reply = await client.ExecuteAsync("fake-echo", new JsonObject { ["n"] = -i });
            Assert.Equal(-i, reply.GetValue<int>());
        }
        Assert.True(client.IsConnected);
        Assert.True(timeouts > 0, "no call timed out");
    }

    [Fact]
    public async Task The_agents_error_keeps_its_class_and_needs_no_resync()
    {
        await using var agent = QgaFakeAgent.Start(async (c, ct) =>
        {
            await c.AnswerSyncAsync(ct);
            await c.ReadRequestAsync(ct);
            await c.SendAsync("""{"error": {"class": "CommandNotFound", "desc": "Command guest-get-osinfo has been disabled: the agent is in frozen state"}}""", ct);
            await c.ReadRequestAsync(ct);
            await c.SendAsync("""{"return": 1}""", ct);
            await c.ReadRequestAsync(ct);
        });
        await using var client = await QgaClient.ConnectAsync(agent.SocketPath, Quick);

        var e = await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("guest-get-osinfo"));
        Assert.Equal("CommandNotFound", e.ErrorClass);
        Assert.True(e.IsQemuError);
        Assert.Equal("guest-get-osinfo", e.Command);
        Assert.Contains("frozen state", e.Description, StringComparison.Ordinal);
        Assert.Equal(1, await client.FsThawAsync());
        Assert.Equal(["guest-sync-delimited", "guest-get-osinfo", "guest-fsfreeze-thaw"], agent.Received);
    }

    [Fact]
    public async Task A_cancelled_call_throws_OperationCanceledException_and_the_next_call_resyncs()
    {
        await using var agent = QgaFakeAgent.Start(async (c, ct) =>
        {
            await c.AnswerSyncAsync(ct);
            await c.ReadRequestAsync(ct); // never answered
            await c.AnswerSyncAsync(ct);
            await c.ReadRequestAsync(ct);
            await c.SendAsync("""{"return": {}}""", ct);
            await c.ReadRequestAsync(ct);
        });
        await using var client = await QgaClient.ConnectAsync(agent.SocketPath, Quick);

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ExecuteAsync("guest-info", cancellationToken: cts.Token));
        Assert.Equal(cts.Token, e.CancellationToken);
        await client.PingAsync();
        Assert.Equal(["guest-sync-delimited", "guest-info", "guest-sync-delimited", "guest-ping"], agent.Received);
    }

    [Fact]
    public async Task Concurrent_calls_run_one_at_a_time_and_each_gets_its_own_reply()
    {
        var overlapped = false;
        await using var agent = QgaFakeAgent.Start(async (c, ct) =>
        {
            await c.AnswerSyncAsync(ct);
            while (await c.ReadRequestAsync(ct) is { } request)
            {
                await Task.Delay(5, ct); // give a misbehaving client time to send the next request early
                overlapped |= c.HasUnreadInput;
                await c.SendAsync(new JsonObject { ["return"] = request["arguments"]!["n"]!.DeepClone() }.ToJsonString(), ct);
            }
        });
        await using var client = await QgaClient.ConnectAsync(agent.SocketPath, Quick);

        var calls = Enumerable.Range(0, 10).Select(n => client.ExecuteAsync("fake-echo", new JsonObject { ["n"] = n })).ToArray();
        var replies = await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(0, 10), replies.Select(r => r.GetValue<int>()));
        Assert.False(overlapped, "a request was sent before the previous reply");
    }

    [Fact]
    public async Task An_agent_that_closes_mid_call_fails_it_and_later_calls_with_Disconnected()
    {
        await using var agent = QgaFakeAgent.Start(async (c, ct) =>
        {
            await c.AnswerSyncAsync(ct);
            await c.ReadRequestAsync(ct);
            c.Close();
        });
        await using var client = await QgaClient.ConnectAsync(agent.SocketPath, Quick);

        var e = await Assert.ThrowsAsync<QmpException>(() => client.GetInfoAsync());
        Assert.Equal(QmpErrorClasses.Disconnected, e.ErrorClass);
        Assert.False(client.IsConnected);
        var again = await Assert.ThrowsAsync<QmpException>(() => client.PingAsync());
        Assert.Equal(QmpErrorClasses.Disconnected, again.ErrorClass);
    }

    [Fact]
    public async Task Dispose_fails_the_call_in_flight_with_Disconnected_and_is_safe_twice()
    {
        await using var agent = QgaFakeAgent.Start(async (c, ct) =>
        {
            await c.AnswerSyncAsync(ct);
            await c.ReadRequestAsync(ct); // never answered
            await Task.Delay(Timeout.Infinite, ct);
        });
        var client = await QgaClient.ConnectAsync(agent.SocketPath, Quick);
        var call = client.ExecuteAsync("guest-info", timeout: Timeout.InfiniteTimeSpan);
        await Eventually.Until(() => Task.FromResult(agent.Received.Count >= 2), TimeSpan.FromSeconds(10), "the guest-info request at the agent");
        Assert.Equal(["guest-sync-delimited", "guest-info"], agent.Received);

        await client.DisposeAsync();
        await client.DisposeAsync();
        var e = await Assert.ThrowsAsync<QmpException>(() => call);
        Assert.Equal(QmpErrorClasses.Disconnected, e.ErrorClass);
        var after = await Assert.ThrowsAsync<QmpException>(() => client.PingAsync());
        Assert.Equal(QmpErrorClasses.Disconnected, after.ErrorClass);
    }
}
