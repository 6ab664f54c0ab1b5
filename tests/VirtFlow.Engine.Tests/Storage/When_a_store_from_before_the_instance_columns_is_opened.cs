using Microsoft.Data.Sqlite;
using Npgsql;
using VirtFlow.Engine.Storage.Paging;
using VirtFlow.Engine.Storage.Postgres;
using VirtFlow.Engine.Storage.Sqlite;
using VirtFlow.Testing;

namespace VirtFlow.Engine.Tests.Storage;

/// <summary>Migration 5 on a store that has instances already: their vm and host come from their inputs.</summary>
[Collection(PostgresCollection.Name)]
public sealed class When_a_store_from_before_the_instance_columns_is_opened(PostgresFixture fixture) : IDisposable
{
    private const string OldRow = """
        INSERT INTO instances (id, workflow_name, workflow_version, definition_hash, status, version, input, state, created_at, updated_at)
        VALUES ('old', 'copy-disks-pivot', 1, 'sha256:x', 'suspended', 3, '{"host":"h1","vm":"web1","disks":[]}', '{}', {0}, {0});
        INSERT INTO instances (id, workflow_name, workflow_version, definition_hash, status, version, input, state, created_at, updated_at)
        VALUES ('other', 'copy-disks-pivot', 1, 'sha256:x', 'suspended', 3, '{"host":"h2","vm":"db1"}', '{}', {0}, {0});
        """;

    private readonly string _dir = TestDirs.Create("sqlite-v1");

    [Fact]
    public async Task Sqlite_backfills_vm_and_host_of_the_existing_instances()
    {
        var path = Path.Combine(_dir, "v1.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            SqliteCommands.Execute(connection, "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)");
            SqliteCommands.Execute(connection, SqliteMigrations.All[0].Sql);
            SqliteCommands.Execute(connection, "INSERT INTO schema_version VALUES (1, 0)");
            SqliteCommands.Execute(connection, OldRow.Replace("{0}", "1000", StringComparison.Ordinal));
        }
        await using var store = new SqliteWorkflowStore(path);

        await store.InitializeAsync();

        await AssertBackfilledAsync(store);
    }

    [Fact]
    public async Task Postgres_backfills_vm_and_host_of_the_existing_instances()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("v1");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            var sql = "CREATE TABLE schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL);"
                + PostgresMigrations.All[0].Sql + "INSERT INTO schema_version VALUES (1, now());"
                + OldRow.Replace("{0}", "now()", StringComparison.Ordinal);
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        await using var store = new PostgresWorkflowStore(connectionString);

        await store.InitializeAsync();

        await AssertBackfilledAsync(store);
    }

    private static async Task AssertBackfilledAsync(IInstanceListStore store)
    {
        var web1 = Assert.Single((await store.ListInstancePageAsync(new InstancePageQuery { Vm = "web1" })).Items);
        Assert.Equal(("old", "web1", "h1"), (web1.Id, web1.Vm, web1.Host));
        Assert.Equal("other", Assert.Single((await store.ListInstancePageAsync(new InstancePageQuery { Host = "h2" })).Items).Id);
    }

    public void Dispose() => ServerCommands.TryDelete(_dir);
}
