using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Tests.Storage.Contract;

/// <summary>
/// What every <see cref="IWorkflowStore"/> must do. Subclassed once per store; each test gets a fresh, initialized,
/// empty store on a manual clock set to <see cref="StoreTestData.T0"/>.
/// </summary>
public abstract partial class WorkflowStoreContract : IAsyncLifetime
{
    protected ManualTimeProvider Clock { get; } = new(StoreTestData.T0);

    protected IWorkflowStore Store { get; private set; } = null!;

    protected StoreOptions Options => new() { TimeProvider = Clock };

    /// <summary>A new store on new, empty storage (not initialized).</summary>
    protected abstract Task<IWorkflowStore> CreateStoreAsync(StoreOptions options);

    /// <summary>Another store object on the same storage as the last <see cref="CreateStoreAsync"/> (not initialized).</summary>
    protected abstract IWorkflowStore OpenSameStorage(StoreOptions options);

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync(Options);
        await Store.InitializeAsync();
    }

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    protected async Task<long> InsertAsync(WorkflowInstance instance, params Bookmark[] bookmarks) =>
        await Store.CommitAsync(StoreTestData.Insert(instance, bookmarks));
}
