using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Sqlite;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Engine.Tests.Storage.Performance;

public sealed class SqliteResumeLatencyMeasurement(ITestOutputHelper output) : ResumeLatencyMeasurement(output), IDisposable
{
    private readonly string _dir = TestDirs.Create("sqlite-perf");

    protected override string StoreName => "SQLite (WAL, synchronous=NORMAL)";

    protected override async Task<IWorkflowStore> CreateStoreAsync()
    {
        var store = new SqliteWorkflowStore(Path.Combine(_dir, "perf.db"));
        await store.InitializeAsync();
        return store;
    }

    public void Dispose() => ServerCommands.TryDelete(_dir);
}
