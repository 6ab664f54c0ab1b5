using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Postgres;
using Xunit.Abstractions;

namespace VirtFlow.Engine.Tests.Storage.Performance;

[Collection(PostgresCollection.Name)]
public sealed class PostgresResumeLatencyMeasurement(PostgresFixture fixture, ITestOutputHelper output) : ResumeLatencyMeasurement(output)
{
    protected override string StoreName => "PostgreSQL 15 (local, fsync=off)";

    protected override async Task<IWorkflowStore> CreateStoreAsync()
    {
        var store = new PostgresWorkflowStore(await fixture.Server.CreateDatabaseAsync("perf"));
        await store.InitializeAsync();
        return store;
    }
}
