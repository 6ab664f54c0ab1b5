using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Postgres;
using VirtFlow.Engine.Storage.Sqlite;
using VirtFlow.Engine.Tests.Runtime.Support;
using VirtFlow.Testing;

namespace VirtFlow.Engine.Tests.Storage;

/// <summary>
/// Migration 2 (the state's entries as rows): a store made by schema version 1, holding an instance suspended in the
/// middle of a forEach with its state as version 1 wrote it (one document, the loop's iterations in its <c>children</c>),
/// is opened by this engine, which migrates it; the instance reads back unchanged, then resumes and completes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class When_upgrading_a_store(PostgresFixture fixture)
{
    private const string Yaml = """
        name: upgraded
        steps:
          - { id: first, type: setVariable, with: { name: n, value: 1 } }
          - id: loop
            type: forEach
            items: [a, b, c]
            steps:
              - { id: wait, type: waitEvent, with: { event: go, correlation: "${ item }" } }
              - { id: count, type: setVariable, with: { name: n, value: "${ vars.n + steps.wait.outputs.payload.n }" } }
          - { id: after, type: setVariable, with: { name: done, value: "${ vars.n }" } }
        """;

    [Fact]
    public async Task An_instance_suspended_in_a_version_1_SQLite_store_survives_the_upgrade_and_completes()
    {
        var old = await SuspendedInVersion1FormAsync();
        var dir = TestDirs.Create("upgrade");
        var path = Path.Combine(dir, "virtflow.db");
        WriteSqliteVersion1(path, old);

        await using (var host = await TestHost.CreateAsync("sqlite", new HostSettings { SqlitePath = path }))
            await ResumeAndCompleteAsync(host, old);
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var rows = connection.CreateCommand();
            rows.CommandText = "SELECT count(*) FROM instance_steps";
            Assert.True(Convert.ToInt32(rows.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        }
        SqliteConnection.ClearAllPools();
        ServerCommands.TryDelete(dir);
    }

    [Fact]
    public async Task An_instance_suspended_in_a_version_1_PostgreSQL_store_survives_the_upgrade_and_completes()
    {
        var old = await SuspendedInVersion1FormAsync();
        var connectionString = await fixture.Server.CreateDatabaseAsync("upgrade");
        await WritePostgresVersion1Async(connectionString, old);

        var settings = new HostSettings { WrapStore = _ => new PostgresWorkflowStore(connectionString) };
        await using var host = await TestHost.CreateAsync("memory", settings);
        await ResumeAndCompleteAsync(host, old);
    }

    /// <summary>What a version 1 store held: the instance (its state one document), its bookmark, its definition.</summary>
    private sealed record Version1(WorkflowInstance Instance, IReadOnlyList<Bookmark> Bookmarks, StoredDefinition Definition);

    /// <summary>
    /// Runs the workflow until iteration 1 waits (iteration 0 done), then writes its state as version 1 did: the
    /// iterations' statuses in the loop's <c>children</c> list, no entry of their own.
    /// </summary>
    private static async Task<Version1> SuspendedInVersion1FormAsync()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var started = await host.RunAsync(Yaml);
        await host.Engine.PublishEventAsync(new EventEnvelope("e-a", "event:go:a", new JsonObject { ["n"] = 10 }));
        var instance = await host.InstanceAsync(started.Id);
        Assert.Equal(InstanceStatus.Suspended, instance.Status);

        var steps = instance.State["steps"]!.AsObject();
        var children = new JsonArray();
        for (var i = 0; i < 3; i++)
        {
            var entry = steps[$"loop[{i}]"];
            children.Add(entry?["status"]?.GetValue<string>() ?? "Pending");
            steps.Remove($"loop[{i}]");
        }
        steps["loop"]!["children"] = children;
        Assert.Equal("""["Completed","Running","Pending"]""", children.ToJsonString());

        var bookmarks = await host.Store.GetBookmarksAsync(instance.Id);
        var definition = await host.Store.GetDefinitionAsync(instance.DefinitionHash);
        return new Version1(instance, bookmarks, definition!);
    }

    private static async Task ResumeAndCompleteAsync(TestHost host, Version1 old)
    {
        var id = old.Instance.Id;
        var migrated = await host.InstanceAsync(id);
        Assert.Equal(InstanceStatus.Suspended, migrated.Status);
        Assert.True(JsonNode.DeepEquals(old.Instance.State, migrated.State), migrated.State.ToJsonString());

        await host.Engine.PublishEventAsync(new EventEnvelope("e-b", "event:go:b", new JsonObject { ["n"] = 100 }));
        await host.Engine.PublishEventAsync(new EventEnvelope("e-c", "event:go:c", new JsonObject { ["n"] = 1000 }));
        var done = await host.CompletionAsync(id);

        Assert.Equal(InstanceStatus.Completed, done.Status);
        var read = await host.InstanceAsync(id);
        Assert.Equal(1111, read.State["vars"]!["done"]!.GetValue<int>());
        Assert.Equal("Completed", TestHost.StepStatus(read, "loop[2]/count"));
        // the loop's entry lost its version 1 list; each iteration has its entry
        Assert.Null(read.State["steps"]!["loop"]!["children"]);
        Assert.Equal(["Completed", "Completed", "Completed"], Enumerable.Range(0, 3).Select(i => TestHost.StepStatus(read, $"loop[{i}]")));
    }

    private static void WriteSqliteVersion1(string path, Version1 old)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        void Run(string sql, params (string Name, object? Value)[] parameters)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
        static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

        Run(SqliteMigrations.All.Single(m => m.Version == 1).Sql);
        Run("CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)");
        Run("INSERT INTO schema_version (version, applied_at) VALUES (1, 0)");
        var i = old.Instance;
        Run("""
            INSERT INTO instances (id, workflow_name, workflow_version, definition_hash, status, version, correlation_id,
                parent_instance_id, parent_step_path, input, output, fault, state, created_at, updated_at, lease_until, lease_owner)
            VALUES ($id, $name, $wv, $hash, 'suspended', $version, NULL, NULL, NULL, $input, NULL, NULL, $state, $created, $updated, NULL, NULL)
            """, ("$id", i.Id), ("$name", i.WorkflowName), ("$wv", i.WorkflowVersion), ("$hash", i.DefinitionHash), ("$version", i.Version),
            ("$input", i.Input.ToJsonString()), ("$state", i.State.ToJsonString()), ("$created", Ms(i.CreatedAt)), ("$updated", Ms(i.UpdatedAt)));
        foreach (var b in old.Bookmarks)
        {
            Run("""
                INSERT INTO bookmarks (id, instance_id, step_path, name, key, due_at, data, created_at)
                VALUES ($id, $instance, $path, $name, $key, NULL, $data, $created)
                """, ("$id", b.Id), ("$instance", b.InstanceId), ("$path", b.StepPath), ("$name", b.Name), ("$key", b.Key),
                ("$data", b.Data?.ToJsonString()), ("$created", Ms(b.CreatedAt)));
        }
        var d = old.Definition;
        Run("INSERT INTO definitions (hash, name, version, canonical_json, created_at) VALUES ($hash, $name, $version, $json, $created)",
            ("$hash", d.Hash), ("$name", d.Name), ("$version", d.Version), ("$json", d.CanonicalJson), ("$created", Ms(d.CreatedAt)));
    }

    private static async Task WritePostgresVersion1Async(string connectionString, Version1 old)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        async Task RunAsync(string sql, params NpgsqlParameter[] parameters)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters);
            await command.ExecuteNonQueryAsync();
        }

        await RunAsync(PostgresMigrations.All.Single(m => m.Version == 1).Sql);
        await RunAsync("CREATE TABLE schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL)");
        await RunAsync("INSERT INTO schema_version (version, applied_at) VALUES (1, now())");
        var i = old.Instance;
        await RunAsync("""
            INSERT INTO instances (id, workflow_name, workflow_version, definition_hash, status, version, input, state, created_at, updated_at)
            VALUES (@id, @name, @wv, @hash, 'suspended', @version, @input, @state, @created, @updated)
            """, PostgresParameters.Text("id", i.Id), PostgresParameters.Text("name", i.WorkflowName), PostgresParameters.Int("wv", i.WorkflowVersion),
            PostgresParameters.Text("hash", i.DefinitionHash), PostgresParameters.Long("version", i.Version),
            PostgresParameters.Json("input", i.Input.ToJsonString()), PostgresParameters.Json("state", i.State.ToJsonString()),
            PostgresParameters.Time("created", i.CreatedAt), PostgresParameters.Time("updated", i.UpdatedAt));
        foreach (var b in old.Bookmarks)
        {
            await RunAsync("""
                INSERT INTO bookmarks (id, instance_id, step_path, name, key, data, created_at)
                VALUES (@id, @instance, @path, @name, @key, @data, @created)
                """, PostgresParameters.Text("id", b.Id), PostgresParameters.Text("instance", b.InstanceId), PostgresParameters.Text("path", b.StepPath),
                PostgresParameters.Text("name", b.Name), PostgresParameters.Text("key", b.Key), PostgresParameters.Json("data", b.Data?.ToJsonString()),
                PostgresParameters.Time("created", b.CreatedAt));
        }
        var d = old.Definition;
        await RunAsync("INSERT INTO definitions (hash, name, version, canonical_json, created_at) VALUES (@hash, @name, @version, @json, @created)",
            PostgresParameters.Text("hash", d.Hash), PostgresParameters.Text("name", d.Name), PostgresParameters.Int("version", d.Version),
            PostgresParameters.Text("json", d.CanonicalJson), PostgresParameters.Time("created", d.CreatedAt));
    }
}
