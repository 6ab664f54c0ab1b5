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

        // Checkpoints run beside the writes, so on a slow disk the WAL may be long right after the burst; it must
        // come back: the checkpoints catch up and a following write starts the WAL from its beginning again, truncating
        // the file to the store's 64 MiB limit. Each commit appends ~9 pages (~110 MB for these 3,000): without complete
        // checkpoints the WAL would hold them all and grow forever.
        var wal = new FileInfo(path + "-wal");
        var extra = 0;
        await Eventually.Until(async () =>
        {
            await store.CommitAsync(Insert(Instance("extra" + extra++)));
            wal.Refresh();
            return store.CheckpointCount >= 1 && wal.Length <= 64 * 1024 * 1024;
        }, TimeSpan.FromSeconds(90), $"a WAL back under 64 MiB (checkpoints {store.CheckpointCount}, WAL {wal.Length} bytes)");
    }

    public void Dispose() => ServerCommands.TryDelete(_dir);
}
