using VirtFlow.Engine.Storage;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task The_same_event_id_twice_is_stored_once()
    {
        Assert.True(await Store.TryAddInboxEventAsync(Event("e1", "k", T0)));
        Assert.False(await Store.TryAddInboxEventAsync(Event("e1", "k", T0.AddSeconds(1))));
        Assert.False(await Store.TryAddInboxEventAsync(Event("e1", "other-key", T0)));

        var stored = Assert.Single(await Store.FindInboxEventsAsync("k"));
        Assert.Equal(T0, stored.ReceivedAt);
        Assert.Empty(await Store.FindInboxEventsAsync("other-key"));
    }

    [Fact]
    public async Task An_event_that_came_before_its_wait_is_found_by_key_until_consumed()
    {
        await Store.TryAddInboxEventAsync(Event("e2", "job/READY", T0.AddMilliseconds(15)));
        await Store.TryAddInboxEventAsync(Event("e1", "job/READY", T0));
        await Store.TryAddInboxEventAsync(Event("e3", "job/FAILED", T0));

        var found = await Store.FindInboxEventsAsync("job/READY");
        Assert.Equal(["e1", "e2"], found.Select(e => e.Id));
        Assert.All(found, e => Assert.Null(e.ConsumedAt));

        await InsertAsync(Instance("i1"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.CommitAsync(new InstanceCommit { Instance = Instance("i1"), ExpectedVersion = 1, ConsumedInboxEventIds = ["e1", "unknown"] });

        Assert.Equal(["e2"], (await Store.FindInboxEventsAsync("job/READY")).Select(e => e.Id));
        Assert.False(await Store.TryAddInboxEventAsync(Event("e1", "job/READY", T0)), "a consumed event is still a duplicate");
    }

    [Fact]
    public async Task Expired_events_are_not_found()
    {
        await Store.TryAddInboxEventAsync(Event("short", "k", T0, lifetime: TimeSpan.FromSeconds(10)));
        await Store.TryAddInboxEventAsync(Event("long", "k", T0, lifetime: TimeSpan.FromMinutes(10)));

        Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["long"], (await Store.FindInboxEventsAsync("k")).Select(e => e.Id));
    }

    [Fact]
    public async Task Matchable_events_are_the_unconsumed_unexpired_ones_with_a_bookmark_on_their_key()
    {
        await Store.TryAddInboxEventAsync(Event("e-late", "k1", T0.AddSeconds(2)));
        await Store.TryAddInboxEventAsync(Event("e-early", "k1", T0.AddSeconds(1)));
        await Store.TryAddInboxEventAsync(Event("e-k2", "k2", T0.AddSeconds(3)));
        await Store.TryAddInboxEventAsync(Event("e-nobody", "k3", T0));
        await Store.TryAddInboxEventAsync(Event("e-expired", "k1", T0.AddMinutes(-2), lifetime: TimeSpan.FromMinutes(1)));
        await Store.TryAddInboxEventAsync(Event("e-consumed", "k2", T0));
        await InsertAsync(Instance("i1"), Bookmark("i1", "b1", key: "k1"), Bookmark("i1", "b1b", key: "k1"));
        await InsertAsync(Instance("i2"), Bookmark("i2", "b2", key: "k2"));
        await Store.CommitAsync(new InstanceCommit { Instance = Instance("i2"), ExpectedVersion = 1, ReplaceBookmarks = false, ConsumedInboxEventIds = ["e-consumed"] });

        Assert.Equal(["e-early", "e-late", "e-k2"], (await Store.FindMatchableInboxEventsAsync(10)).Select(e => e.Id));
        Assert.Equal(["e-early", "e-late"], (await Store.FindMatchableInboxEventsAsync(2)).Select(e => e.Id));
    }

    [Fact]
    public async Task Purge_deletes_expired_events_and_consumed_ones_older_than_the_cutoff()
    {
        await Store.TryAddInboxEventAsync(Event("expired", "k", T0.AddMinutes(-10), lifetime: TimeSpan.FromMinutes(5)));
        await Store.TryAddInboxEventAsync(Event("fresh", "k", T0));
        await Store.TryAddInboxEventAsync(Event("consumed-old", "k", T0));
        await Store.TryAddInboxEventAsync(Event("consumed-new", "k", T0));
        await InsertAsync(Instance("i1"));
        await Store.CommitAsync(new InstanceCommit { Instance = Instance("i1"), ExpectedVersion = 1, ConsumedInboxEventIds = ["consumed-old"] });
        Clock.Advance(TimeSpan.FromMinutes(2));
        await Store.CommitAsync(new InstanceCommit { Instance = Instance("i1"), ExpectedVersion = 2, ConsumedInboxEventIds = ["consumed-new"] });

        var purged = await Store.PurgeInboxAsync(T0.AddMinutes(2), olderThan: T0.AddMinutes(1));

        Assert.Equal(2, purged);
        Assert.Equal(["fresh"], (await Store.FindInboxEventsAsync("k")).Select(e => e.Id));
        Assert.True(await Store.TryAddInboxEventAsync(Event("expired", "k", T0)), "a purged id is accepted again");
        Assert.False(await Store.TryAddInboxEventAsync(Event("consumed-new", "k", T0)), "a kept consumed id is still a duplicate");
        Assert.Equal(0, await Store.PurgeInboxAsync(T0.AddMinutes(2), olderThan: T0.AddMinutes(1)));
    }
}
