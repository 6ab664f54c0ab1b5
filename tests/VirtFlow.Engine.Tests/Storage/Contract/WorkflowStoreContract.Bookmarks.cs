using VirtFlow.Engine.Storage;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task ReplaceBookmarks_replaces_all_of_the_instance_and_only_its_own()
    {
        await InsertAsync(Instance("i1"), Bookmark("i1", "b1", key: "k1"), Bookmark("i1", "b2", dueAt: T0));
        await InsertAsync(Instance("i2"), Bookmark("i2", "b3", key: "k1"));

        await Store.CommitAsync(new InstanceCommit
        {
            Instance = Instance("i1"),
            ExpectedVersion = 1,
            Bookmarks = [Bookmark("i1", "b4", key: "k2")],
        });

        Assert.Equal(["b4"], (await Store.GetBookmarksAsync("i1")).Select(b => b.Id));
        Assert.Equal(["b3"], (await Store.FindBookmarksByKeyAsync("k1")).Select(b => b.Id));
        Assert.Empty(await Store.FindDueTimersAsync(T0.AddDays(1), 10));
        Assert.Equal(["b3"], (await Store.GetBookmarksAsync("i2")).Select(b => b.Id));
    }

    [Fact]
    public async Task Without_ReplaceBookmarks_new_ones_are_added_and_a_same_id_one_is_updated()
    {
        await InsertAsync(Instance("i1"), Bookmark("i1", "b1", key: "k1"), Bookmark("i1", "b2", key: "k2"));

        await Store.CommitAsync(new InstanceCommit
        {
            Instance = Instance("i1"),
            ExpectedVersion = 1,
            ReplaceBookmarks = false,
            Bookmarks = [Bookmark("i1", "b2", key: "k2-changed"), Bookmark("i1", "b3", key: "k3")],
        });
        await Store.CommitAsync(new InstanceCommit { Instance = Instance("i1"), ExpectedVersion = 2, ReplaceBookmarks = false });

        Assert.Equal(["b1", "b2", "b3"], (await Store.GetBookmarksAsync("i1")).Select(b => b.Id));
        Assert.Empty(await Store.FindBookmarksByKeyAsync("k2"));
        Assert.Equal(["b2"], (await Store.FindBookmarksByKeyAsync("k2-changed")).Select(b => b.Id));
    }

    [Fact]
    public async Task A_bookmark_reads_back_every_field()
    {
        var bookmark = Bookmark("i1", "b1", key: "job-1/READY", dueAt: T0.AddMinutes(5));
        await InsertAsync(Instance("i1"), bookmark);

        var read = Assert.Single(await Store.FindBookmarksByKeyAsync("job-1/READY"));

        Assert.Equal(bookmark with { Data = read.Data }, read);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(bookmark.Data, read.Data));
    }

    [Fact]
    public async Task Bookmarks_are_found_by_exact_key_across_instances()
    {
        await InsertAsync(Instance("i1"), Bookmark("i1", "b1", key: "host-1/job-7/READY"), Bookmark("i1", "b2", key: "host-1/job-7/FAILED"));
        await InsertAsync(Instance("i2"), Bookmark("i2", "b3", key: "host-1/job-7/READY"), Bookmark("i2", "b4", dueAt: T0));

        Assert.Equal(["b1", "b3"], (await Store.FindBookmarksByKeyAsync("host-1/job-7/READY")).Select(b => b.Id));
        Assert.Equal(["b2"], (await Store.FindBookmarksByKeyAsync("host-1/job-7/FAILED")).Select(b => b.Id));
        Assert.Empty(await Store.FindBookmarksByKeyAsync("host-1/job-7"));
        Assert.Empty(await Store.FindBookmarksByKeyAsync("HOST-1/job-7/READY"));
    }

    [Fact]
    public async Task Due_timers_come_oldest_first_up_to_the_limit()
    {
        await InsertAsync(Instance("i1"), Bookmark("i1", "t3", dueAt: T0.AddSeconds(3)), Bookmark("i1", "t1", dueAt: T0.AddSeconds(1)));
        await InsertAsync(Instance("i2"), Bookmark("i2", "t2", dueAt: T0.AddSeconds(2)), Bookmark("i2", "t9", dueAt: T0.AddSeconds(9)),
            Bookmark("i2", "event", key: "k"));
        await InsertAsync(Instance("i3"), Bookmark("i3", "t2b", dueAt: T0.AddSeconds(2)));

        Assert.Equal(["t1", "t2", "t2b", "t3"], (await Store.FindDueTimersAsync(T0.AddSeconds(3), 10)).Select(b => b.Id));
        Assert.Equal(["t1", "t2"], (await Store.FindDueTimersAsync(T0.AddSeconds(3), 2)).Select(b => b.Id));
        Assert.Empty(await Store.FindDueTimersAsync(T0, 10));
    }

    [Fact]
    public async Task The_next_timer_due_is_the_earliest_one_or_null()
    {
        Assert.Null(await Store.GetNextTimerDueAsync());
        await InsertAsync(Instance("i1"), Bookmark("i1", "event", key: "k"));
        Assert.Null(await Store.GetNextTimerDueAsync());

        await InsertAsync(Instance("i2"), Bookmark("i2", "late", dueAt: T0.AddHours(1)), Bookmark("i2", "soon", dueAt: T0.AddSeconds(5)));

        Assert.Equal(T0.AddSeconds(5), await Store.GetNextTimerDueAsync());
    }
}
