using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Limits;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

/// <summary>Counted limits (<see cref="ICountedLimitStore"/>, migration 11): at most max live holders per key, on every store.</summary>
public abstract partial class WorkflowStoreContract
{
    private ICountedLimitStore Limits => Assert.IsAssignableFrom<ICountedLimitStore>(Store);

    [Fact]
    public async Task A_counted_limit_gives_at_most_max_slots_again_to_a_holder_that_has_one_and_a_released_slot_to_the_next()
    {
        foreach (var id in new[] { "a", "b", "c" }) await InsertAsync(Instance(id, InstanceStatus.Running));

        Assert.True((await Limits.TryAcquireLimitAsync("storage:/new", 2, "a", "a")).Acquired);
        Assert.True((await Limits.TryAcquireLimitAsync("storage:/new", 2, "b", "b")).Acquired);
        var full = await Limits.TryAcquireLimitAsync("storage:/new", 2, "c", "c");
        Assert.False(full.Acquired);
        Assert.Equal(["a", "b"], full.Holders.Select(h => h.InstanceId).Order(StringComparer.Ordinal));
        var again = await Limits.TryAcquireLimitAsync("storage:/new", 2, "a", "a"); // a replayed step
        Assert.True(again.Acquired);
        Assert.Equal(2, again.Holders.Count);
        Assert.True((await Limits.TryAcquireLimitAsync("storage:/other", 1, "c", "c")).Acquired); // keys are separate

        Assert.True(await Limits.ReleaseLimitAsync("storage:/new", "a", "a"));
        Assert.False(await Limits.ReleaseLimitAsync("storage:/new", "a", "a"));
        Assert.True((await Limits.TryAcquireLimitAsync("storage:/new", 2, "c", "c")).Acquired);
        Assert.Equal(["b", "c"], (await Limits.ListLimitHoldersAsync("storage:/new")).Select(h => h.InstanceId).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(InstanceStatus.Completed)]
    [InlineData(InstanceStatus.Faulted)]
    [InlineData(InstanceStatus.Cancelled)]
    public async Task A_slot_of_an_instance_that_ended_without_releasing_it_no_longer_counts(InstanceStatus end)
    {
        await InsertAsync(Instance("holder", InstanceStatus.Suspended));
        await InsertAsync(Instance("next", InstanceStatus.Running));
        Assert.True((await Limits.TryAcquireLimitAsync("storage:/new", 1, "holder", "holder")).Acquired);
        Assert.False((await Limits.TryAcquireLimitAsync("storage:/new", 1, "next", "next")).Acquired);

        // e.g. cancelled after a crash: no release step ran
        await Store.CommitAsync(new InstanceCommit { Instance = Instance("holder", end), ExpectedVersion = 1 });

        Assert.Empty(await Limits.ListLimitHoldersAsync("storage:/new"));
        var claim = await Limits.TryAcquireLimitAsync("storage:/new", 1, "next", "next");
        Assert.True(claim.Acquired);
        Assert.Equal("next", Assert.Single(claim.Holders).InstanceId);
    }

    [Fact]
    public async Task Of_many_stores_taking_slots_of_one_key_at_once_never_more_than_max_win()
    {
        var stores = Enumerable.Range(0, 3).Select(_ => OpenSameStorage(Options)).ToList();
        try
        {
            foreach (var s in stores) await s.InitializeAsync();
            for (var i = 0; i < 9; i++) await InsertAsync(Instance($"i{i}", InstanceStatus.Running));
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = Enumerable.Range(0, 9).Select(i => Task.Run(async () =>
            {
                await go.Task;
                var store = (ICountedLimitStore)stores[i % stores.Count];
                return (await store.TryAcquireLimitAsync("storage:/race", 2, $"i{i}", $"i{i}")).Acquired;
            })).ToList();
            go.SetResult();
            var won = await Task.WhenAll(attempts);

            Assert.Equal(2, won.Count(w => w));
            Assert.Equal(2, (await Limits.ListLimitHoldersAsync("storage:/race")).Count);
        }
        finally
        {
            foreach (var s in stores) await s.DisposeAsync();
        }
    }
}
