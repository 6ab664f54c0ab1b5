using System.Text.Json.Nodes;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

/// <summary>Protocol-level cases a real QEMU will not produce on demand, played by a scripted server.</summary>
public sealed class ReplyMatchingTests
{
    [Fact]
    public async Task Replies_out_of_order_unknown_ids_and_id_less_errors_never_reach_the_wrong_caller()
    {
        await using var server = FakeSocketServer.Start(async (connection, ct) =>
        {
            await connection.NegotiateAsync(ct);
            var a = JsonNode.Parse((await connection.ReadLineAsync(ct))!)!;
            var b = JsonNode.Parse((await connection.ReadLineAsync(ct))!)!;
            await connection.SendLineAsync("""{"return": {"who": "stale"}, "id": "vf-999999"}""", ct);
            await connection.SendLineAsync("""{"return": {"who": "numeric"}, "id": 7}""", ct);
            await connection.SendLineAsync("""{"error": {"class": "GenericError", "desc": "JSON parse error"}}""", ct);
            await connection.SendLineAsync("""{"timestamp": {"seconds": 1700000000, "microseconds": 5}, "event": "STOP"}""", ct);
            await connection.SendLineAsync($$"""{"return": {"who": "b"}, "id": {{b["id"]!.ToJsonString()}}}""", ct);
            await connection.SendLineAsync($$"""{"error": {"class": "DeviceNotFound", "desc": "no a"}, "id": {{a["id"]!.ToJsonString()}}}""", ct);
            while (await connection.ReadLineAsync(ct) is not null) { }
        });
        var logger = new ListLogger();
        await using var qmp = await QmpClient.ConnectAsync(server.SocketPath, new QmpClientOptions { Logger = logger });
        using var events = qmp.Subscribe();

        var a = qmp.ExecuteAsync("command-a");
        var b = qmp.ExecuteAsync("command-b");

        Assert.Equal("b", (await b)["who"]!.GetValue<string>());
        var e = await Assert.ThrowsAsync<QmpException>(() => a);
        Assert.Equal(("DeviceNotFound", "no a", "command-a"), (e.ErrorClass, e.Description, e.Command));
        var stop = await events.WaitAsync(null, TimeSpan.FromSeconds(10));
        Assert.Equal("STOP", stop.Name);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(50), stop.Timestamp);
        Assert.Equal(2, logger.Count(3003));   // two unknown ids dropped
        Assert.Equal(1, logger.Count(3004));   // one reply without id dropped
    }

    [Fact]
    public async Task Arguments_are_sent_as_given_and_the_callers_object_is_left_intact()
    {
        var seen = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = FakeSocketServer.Start(async (connection, ct) =>
        {
            await connection.NegotiateAsync(ct);
            var line = JsonNode.Parse((await connection.ReadLineAsync(ct))!)!;
            seen.TrySetResult(line);
            await connection.SendLineAsync($$"""{"return": [1, 2], "id": {{line["id"]!.ToJsonString()}}}""", ct);
            while (await connection.ReadLineAsync(ct) is not null) { }
        });
        await using var qmp = await QmpClient.ConnectAsync(server.SocketPath);
        var args = new JsonObject { ["node-name"] = "x", ["nested"] = new JsonObject { ["n"] = 1 } };

        var reply = await qmp.ExecuteAsync("blockdev-del", args);

        Assert.Equal("[1,2]", reply.ToJsonString());
        var sent = await seen.Task;
        Assert.Equal("blockdev-del", sent["execute"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(args, sent["arguments"]));
        Assert.Null(args.Parent);
        Assert.StartsWith("vf-", sent["id"]!.GetValue<string>());
    }
}
