using Npgsql;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Postgres;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Performance;

[Collection(PostgresCollection.Name)]
public sealed class PostgresQueryPlanTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Lookups_use_their_index_without_forcing_the_planner()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("plan");
        await using (var store = new PostgresWorkflowStore(connectionString))
        {
            await store.InitializeAsync();
            await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
                await store.CommitAsync(StoreTestData.Insert(Instance("i" + i),
                    Bookmark("i" + i, "b" + i, key: "k" + i, dueAt: i % 50 == 0 ? T0.AddSeconds(i) : null)), ct));
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var analyze = dataSource.CreateCommand("ANALYZE"))
            await analyze.ExecuteNonQueryAsync();

        var byKey = await ExplainAsync(dataSource, PostgresWorkflowStore.FindBookmarksByKeySql, new NpgsqlParameter("v", "k7"));
        Assert.Contains("ix_bookmarks_key", byKey);
        Assert.Matches("(Bitmap )?Index Scan", byKey);

        var due = await ExplainAsync(dataSource,
            "SELECT id FROM bookmarks WHERE due_at IS NOT NULL AND due_at <= @now ORDER BY due_at, id LIMIT 10",
            new NpgsqlParameter("now", T0.AddSeconds(100)));
        Assert.Contains("ix_bookmarks_due", due);
    }

    private static async Task<string> ExplainAsync(NpgsqlDataSource dataSource, string sql, NpgsqlParameter parameter)
    {
        await using var command = dataSource.CreateCommand("EXPLAIN " + sql);
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
