using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.InMemory;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public sealed class InMemoryStoreContractTests : WorkflowStoreContract
{
    private InMemoryWorkflowStore? _store;

    protected override Task<IWorkflowStore> CreateStoreAsync(StoreOptions options) =>
        Task.FromResult<IWorkflowStore>(_store = new InMemoryWorkflowStore(options));

    /// <summary>The in-memory store has no storage to share: a second "store" is the same object.</summary>
    protected override IWorkflowStore OpenSameStorage(StoreOptions options) => _store!;
}
