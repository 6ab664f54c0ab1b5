using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Postgres;

namespace VirtFlow.Engine.Tests.Storage.Contract;

/// <summary>The contract on PostgreSQL: every test on a database of its own in the shared throwaway cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreContractTests(PostgresFixture fixture) : WorkflowStoreContract
{
    private string _connectionString = "";

    protected override async Task<IWorkflowStore> CreateStoreAsync(StoreOptions options)
    {
        _connectionString = await fixture.Server.CreateDatabaseAsync("contract");
        return new PostgresWorkflowStore(_connectionString, options);
    }

    protected override IWorkflowStore OpenSameStorage(StoreOptions options) => new PostgresWorkflowStore(_connectionString, options);

    protected override async Task CreateFreshStorageForConcurrentInitAsync() =>
        _connectionString = await fixture.Server.CreateDatabaseAsync("contract_init");
}
