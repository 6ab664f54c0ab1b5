using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task Initializing_again_keeps_the_data()
    {
        await InsertAsync(Instance("i1"), Bookmark("i1", "b1", key: "k"));

        await Store.InitializeAsync();
        await using var again = OpenSameStorage(Options);
        await again.InitializeAsync();

        Assert.Equal(1, (await again.GetInstanceAsync("i1"))!.Version);
        Assert.Single(await again.FindBookmarksByKeyAsync("k"));
    }

    [Fact]
    public async Task Stores_initializing_the_same_fresh_storage_at_once_all_succeed()
    {
        await CreateFreshStorageForConcurrentInitAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => OpenSameStorage(Options)).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync())));

            await stores[0].CommitAsync(StoreTestData.Insert(Instance("after-race")));
            Assert.NotNull(await stores[3].GetInstanceAsync("after-race"));
        }
        finally
        {
            foreach (var s in stores) await s.DisposeAsync();
        }
    }

    /// <summary>Points <see cref="OpenSameStorage"/> at new storage nobody initialized (default: keep the current one).</summary>
    protected virtual Task CreateFreshStorageForConcurrentInitAsync() => Task.CompletedTask;
}
