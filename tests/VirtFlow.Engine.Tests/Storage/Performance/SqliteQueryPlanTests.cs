using Microsoft.Data.Sqlite;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Sqlite;
using VirtFlow.Testing;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Performance;

public sealed class SqliteQueryPlanTests : IDisposable
{
    private readonly string _dir = TestDirs.Create("sqlite-plan");

    [Theory]
    [InlineData(SqliteWorkflowStore.FindBookmarksByKeySql, "ix_bookmarks_key")]
    [InlineData("SELECT id FROM bookmarks WHERE due_at IS NOT NULL AND due_at <= $v ORDER BY due_at, id LIMIT 10", "ix_bookmarks_due")]
    [InlineData("SELECT id FROM inbox WHERE key = $v AND consumed_at IS NULL AND expires_at > 0 ORDER BY received_at, id", "ix_inbox_key_unconsumed")]
    [InlineData("SELECT id FROM outbox WHERE dispatched_at IS NULL ORDER BY created_at, seq LIMIT 10", "ix_outbox_pending")]
    [InlineData("SELECT seq FROM journal WHERE instance_id = $v ORDER BY seq", "ix_journal_instance")]
    public async Task Lookups_use_their_index(string sql, string index)
    {
        var path = Path.Combine(_dir, "plan.db");
        await using (var store = new SqliteWorkflowStore(path))
        {
            await store.InitializeAsync();
            for (var i = 0; i < 200; i++)
                await store.CommitAsync(StoreTestData.Insert(Instance("i" + i), Bookmark("i" + i, "b" + i, key: "k" + i, dueAt: i % 2 == 0 ? T0 : null)));
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        command.Parameters.AddWithValue("$v", sql.Contains("due_at", StringComparison.Ordinal) ? 0L : "k7");
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read()) plan.Add(reader.GetString(3));

        var text = string.Join(" | ", plan);
        Assert.Matches($"USING (COVERING )?INDEX {index}\\b", text);
        if (sql.Contains("LIMIT", StringComparison.Ordinal))
            Assert.DoesNotContain("USE TEMP B-TREE", text); // a LIMIT query reads the first rows in index order, no sort
        Assert.DoesNotMatch(@"\bSCAN \w+\b(?! USING)", text); // no full table scan
    }

    public void Dispose() => ServerCommands.TryDelete(_dir);
}
