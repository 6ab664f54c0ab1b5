using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Sqlite;
using VirtFlow.Testing;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public sealed class SqliteStoreContractTests : WorkflowStoreContract
{
    private readonly string _dir = TestDirs.Create("sqlite");
    private string _path = "";
    private int _files;

    protected override Task<IWorkflowStore> CreateStoreAsync(StoreOptions options)
    {
        _path = Path.Combine(_dir, $"store{++_files}.db");
        return Task.FromResult<IWorkflowStore>(new SqliteWorkflowStore(_path, options));
    }

    protected override IWorkflowStore OpenSameStorage(StoreOptions options) => new SqliteWorkflowStore(_path, options);

    protected override Task CreateFreshStorageForConcurrentInitAsync()
    {
        _path = Path.Combine(_dir, $"store{++_files}.db");
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        ServerCommands.TryDelete(_dir);
    }
}
