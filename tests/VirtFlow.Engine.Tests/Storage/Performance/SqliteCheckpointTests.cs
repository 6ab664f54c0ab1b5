using VirtFlow.Engine.Storage.Sqlite;
using VirtFlow.Testing;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Performance;

/// <summary>
/// The store checkpoints its WAL in the background instead of inside a random commit (SQLite's automatic checkpoint
/// made one resume in a few hundred pay for copying the whole WAL). The WAL must still stay bounded.
/// </summary>
public sealed class SqliteCheckpointTests : IDisposable
{
    private readonly string _dir = TestDirs.Create("sqlite-checkpoint");

    [Fact]
    public async Task Thousands_of_commits_leave_a_bounded_wal_checkpointed_in_the_background()
    {
        var path = Path.Combine(_dir, "wal.db");
        await using var store = new SqliteWorkflowStore(path);
        await store.InitializeAsync();
        var payload = new string('x', 4000); // a few pages per commit, as a real instance state with its journal
        for (var i = 0; i < 3000; i++)
        {
            var instance = Instance("i" + i) with { State = new System.Text.Json.Nodes.JsonObject { ["pad"] = payload } };
            await store.CommitAsync(Insert(instance, Bookmark("i" + i, "b" + i, key: "k" + i)));
        }

        await Eventually.Until(() => Task.FromResult(store.CheckpointCount >= 5), TimeSpan.FromSeconds(30), $"background checkpoints (so far {store.CheckpointCount})");
        var wal = new FileInfo(path + "-wal");
        var db = new FileInfo(path);
        // Each commit appends ~9 pages to the WAL (~110 MB for these 3,000): without complete checkpoints the WAL would
        // hold them all and grow forever; with them it is reused from its start (measured high-water mark 18-33 MB).
        Assert.True(wal.Length < 64 * 1024 * 1024, $"WAL {wal.Length} bytes beside a database of {db.Length}");
    }

    public void Dispose() => ServerCommands.TryDelete(_dir);
}
