using Microsoft.Data.Sqlite;
using Npgsql;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Testing;

/// <summary>
/// A fresh store for one test, named by a spec the <c>virtflow</c> processes get (<c>--store</c>), plus what the engine's
/// store interface does not show: the outbox rows as they are (sent or not) and a way to simulate the crash between the
/// broker's confirmation and the dispatched mark (the row pending again).
/// </summary>
public abstract class TestStore
{
    /// <summary>The <c>--store</c> spec.</summary>
    public abstract string Spec { get; }

    /// <summary>The store, opened (the caller disposes it).</summary>
    public Task<IWorkflowStore> OpenAsync() => StoreFactory.OpenAsync(Spec);

    /// <summary>The instance's outbox rows, oldest first.</summary>
    public abstract Task<IReadOnlyList<OutboxRow>> OutboxAsync(string instanceId);

    /// <summary>Clears the dispatched mark of a row, as if the process died after the broker took it but before marking it.</summary>
    public abstract Task MarkPendingAsync(string messageId);

    public static TestStore Sqlite() => new SqliteTestStore(Path.Combine(TestDirs.Create("store"), "virtflow.db"));

    public static async Task<TestStore> PostgresAsync(PostgresServer server, string name) =>
        new PostgresTestStore(await server.CreateDatabaseAsync(name));
}

/// <summary>An outbox row.</summary>
public sealed record OutboxRow(string Id, string MessageType, string Destination, int Attempts, bool Dispatched);

internal sealed class SqliteTestStore(string path) : TestStore
{
    public override string Spec => "sqlite:" + path;

    public override async Task<IReadOnlyList<OutboxRow>> OutboxAsync(string instanceId)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, message_type, destination, attempts, dispatched_at IS NOT NULL FROM outbox WHERE instance_id = $id ORDER BY seq";
        command.Parameters.AddWithValue("$id", instanceId);
        var rows = new List<OutboxRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(new OutboxRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetBoolean(4)));
        return rows;
    }

    public override async Task MarkPendingAsync(string messageId)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET dispatched_at = NULL WHERE id = $id";
        command.Parameters.AddWithValue("$id", messageId);
        if (await command.ExecuteNonQueryAsync() != 1) throw new InvalidOperationException($"no outbox row {messageId}");
    }
}

internal sealed class PostgresTestStore(string connectionString) : TestStore
{
    public override string Spec => "postgres:" + connectionString;

    public override async Task<IReadOnlyList<OutboxRow>> OutboxAsync(string instanceId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, message_type, destination, attempts, dispatched_at IS NOT NULL FROM outbox WHERE instance_id = @id ORDER BY seq", connection);
        command.Parameters.AddWithValue("id", instanceId);
        var rows = new List<OutboxRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(new OutboxRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetBoolean(4)));
        return rows;
    }

    public override async Task MarkPendingAsync(string messageId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE outbox SET dispatched_at = NULL WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", messageId);
        if (await command.ExecuteNonQueryAsync() != 1) throw new InvalidOperationException($"no outbox row {messageId}");
    }
}
