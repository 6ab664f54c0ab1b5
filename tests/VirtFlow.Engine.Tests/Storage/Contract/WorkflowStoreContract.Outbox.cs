using VirtFlow.Engine.Storage;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task Pending_outbox_is_oldest_first_in_commit_order_and_leaves_out_dispatched_messages()
    {
        await Store.CommitAsync(StoreTestData.Insert(Instance("i1")) with
        {
            Outbox = [Command("i1", "z-first"), Command("i1", "a-second"), Command("i1", "m-later", createdAt: T0.AddSeconds(1))],
        });
        await Store.CommitAsync(StoreTestData.Insert(Instance("i2")) with { Outbox = [Command("i2", "earliest", createdAt: T0.AddSeconds(-1))] });

        Assert.Equal(["earliest", "z-first", "a-second", "m-later"], (await Store.GetPendingOutboxAsync(10)).Select(m => m.Id));
        Assert.Equal(["earliest", "z-first"], (await Store.GetPendingOutboxAsync(2)).Select(m => m.Id));

        await Store.MarkOutboxDispatchedAsync("z-first", T0.AddSeconds(5));
        await Store.MarkOutboxDispatchedAsync("earliest", T0.AddSeconds(5));

        Assert.Equal(["a-second", "m-later"], (await Store.GetPendingOutboxAsync(10)).Select(m => m.Id));
    }

    [Fact]
    public async Task An_outbox_message_reads_back_every_field()
    {
        var message = Command("i1", "cmd-1") with { Destination = "host-42", MessageType = "VirtFlow.Contracts.FreezeGuest" };
        await Store.CommitAsync(StoreTestData.Insert(Instance("i1")) with { Outbox = [message] });

        var read = Assert.Single(await Store.GetPendingOutboxAsync(10));

        Assert.Equal(message with { Payload = read.Payload }, read);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(message.Payload, read.Payload));
    }

    [Fact]
    public async Task A_failed_dispatch_increments_attempts_and_keeps_the_last_error()
    {
        await Store.CommitAsync(StoreTestData.Insert(Instance("i1")) with { Outbox = [Command("i1", "cmd-1")] });

        await Store.MarkOutboxFailedAsync("cmd-1", "broker unreachable");
        await Store.MarkOutboxFailedAsync("cmd-1", "channel closed");

        var pending = Assert.Single(await Store.GetPendingOutboxAsync(10));
        Assert.Equal(2, pending.Attempts);
        Assert.Equal("channel closed", pending.LastError);
        Assert.Null(pending.DispatchedAt);
    }

    [Fact]
    public async Task A_replayed_outbox_id_keeps_the_first_row_and_does_not_fail()
    {
        await Store.CommitAsync(StoreTestData.Insert(Instance("i1")) with { Outbox = [Command("i1", "i1/mirror/1")] });
        await Store.MarkOutboxFailedAsync("i1/mirror/1", "timeout");

        var version = await Store.CommitAsync(new InstanceCommit
        {
            Instance = Instance("i1"),
            ExpectedVersion = 1,
            Outbox = [Command("i1", "i1/mirror/1", createdAt: T0.AddMinutes(1)) with { Destination = "elsewhere" }, Command("i1", "i1/mirror/2")],
        });

        Assert.Equal(2, version);
        var pending = await Store.GetPendingOutboxAsync(10);
        Assert.Equal(["i1/mirror/1", "i1/mirror/2"], pending.Select(m => m.Id));
        Assert.Equal("host-1", pending[0].Destination);
        Assert.Equal(1, pending[0].Attempts);
        Assert.Equal(T0, pending[0].CreatedAt);
    }
}
