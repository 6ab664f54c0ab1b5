using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task Of_two_writers_with_the_same_version_exactly_one_wins()
    {
        await using var other = OpenSameStorage(Options);
        await other.InitializeAsync();
        for (var round = 0; round < 10; round++)
        {
            var id = "race-" + round;
            await InsertAsync(Instance(id));
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            async Task<bool> Write(IWorkflowStore store, string owner)
            {
                await start.Task;
                try
                {
                    await store.CommitAsync(new InstanceCommit
                    {
                        Instance = Instance(id) with { LeaseOwner = owner },
                        ExpectedVersion = 1,
                        Bookmarks = [Bookmark(id, id + "-" + owner, key: "k-" + owner)],
                        Journal = [Journal(id, "Resumed", owner)],
                    });
                    return true;
                }
                catch (ConcurrencyException)
                {
                    return false;
                }
            }

            var a = Task.Run(() => Write(Store, "a"));
            var b = Task.Run(() => Write(other, "b"));
            start.SetResult();
            var results = await Task.WhenAll(a, b);

            Assert.Single(results, won => won);
            var winner = results[0] ? "a" : "b";
            var stored = (await Store.GetInstanceAsync(id))!;
            Assert.Equal(2, stored.Version);
            Assert.Equal(winner, stored.LeaseOwner);
            Assert.Equal([id + "-" + winner], (await Store.GetBookmarksAsync(id)).Select(x => x.Id));
            Assert.Equal([winner], (await Store.GetJournalAsync(id)).Select(j => j.Message));
        }
    }

    [Fact]
    public async Task A_commit_that_loses_on_version_writes_no_bookmark_outbox_journal_or_inbox_change()
    {
        await InsertAsync(Instance("i1"), Bookmark("i1", "b-old", key: "old"));
        await Store.TryAddInboxEventAsync(Event("e1", "k1", T0));

        await Assert.ThrowsAsync<ConcurrencyException>(() => Store.CommitAsync(new InstanceCommit
        {
            Instance = Instance("i1"),
            ExpectedVersion = 7,
            Bookmarks = [Bookmark("i1", "b-new", key: "new")],
            Outbox = [Command("i1", "cmd-1")],
            Journal = [Journal("i1", "StepStarted")],
            ConsumedInboxEventIds = ["e1"],
        }));
        // The same for an insert over an existing id (whose bookmarks a replace would have deleted).
        await Assert.ThrowsAsync<ConcurrencyException>(() => Store.CommitAsync(new InstanceCommit
        {
            Instance = Instance("i1"),
            Bookmarks = [Bookmark("i1", "b-new2", key: "new")],
            Outbox = [Command("i1", "cmd-2")],
            Journal = [Journal("i1", "InstanceStarted")],
            ConsumedInboxEventIds = ["e1"],
        }));

        Assert.Equal(["b-old"], (await Store.GetBookmarksAsync("i1")).Select(b => b.Id));
        Assert.Empty(await Store.FindBookmarksByKeyAsync("new"));
        Assert.Empty(await Store.GetPendingOutboxAsync(10));
        Assert.Empty(await Store.GetJournalAsync("i1"));
        Assert.Equal(["e1"], (await Store.FindInboxEventsAsync("k1")).Select(e => e.Id));
        Assert.Equal(1, (await Store.GetInstanceAsync("i1"))!.Version);
    }
}
