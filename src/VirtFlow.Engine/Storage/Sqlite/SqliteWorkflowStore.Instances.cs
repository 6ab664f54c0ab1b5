using System.Text;
using Microsoft.Data.Sqlite;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    private const string InstanceColumns = $"""
        id, workflow_name, workflow_version, definition_hash, status, version, correlation_id, parent_instance_id,
        parent_step_path, input, output, fault, {SqliteStateMigration.AssembledState}, created_at, updated_at, lease_until, lease_owner, lock_key
        """;

    /// <inheritdoc />
    public Task<WorkflowInstance?> GetInstanceAsync(string instanceId, CancellationToken ct = default) =>
        Task.FromResult(Read(connection =>
        {
            using var command = SqliteCommands.Create(connection, $"SELECT {InstanceColumns} FROM instances WHERE id = $id", ("$id", instanceId));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadInstance(reader) : null;
        }));

    /// <inheritdoc />
    public Task<long?> GetInstanceVersionAsync(string instanceId, CancellationToken ct = default) =>
        Task.FromResult(Read(connection =>
        {
            using var command = SqliteCommands.Create(connection, "SELECT version FROM instances WHERE id = $id", ("$id", instanceId));
            return command.ExecuteScalar() is long version ? version : (long?)null;
        }));

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkflowInstance>> ListInstancesAsync(InstanceQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.FromResult(Read<IReadOnlyList<WorkflowInstance>>(connection =>
        {
            var sql = new StringBuilder($"SELECT {InstanceColumns} FROM instances WHERE 1 = 1");
            using var command = connection.CreateCommand();
            if (query.Status is { } status)
            {
                sql.Append(" AND status = $status");
                command.Parameters.AddWithValue("$status", InstanceStatusText.From(status));
            }
            if (query.WorkflowName is { } name)
            {
                sql.Append(" AND workflow_name = $name");
                command.Parameters.AddWithValue("$name", name);
            }
            if (query.CorrelationId is { } correlation)
            {
                sql.Append(" AND correlation_id = $correlation");
                command.Parameters.AddWithValue("$correlation", correlation);
            }
            sql.Append(" ORDER BY created_at, id LIMIT $limit");
            command.Parameters.AddWithValue("$limit", query.Limit);
            command.CommandText = sql.ToString();
            return ReadAll(command, ReadInstance);
        }));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindOrphanedInstancesAsync(DateTimeOffset now, int limit, CancellationToken ct = default) =>
        Task.FromResult(Read<IReadOnlyList<string>>(connection =>
        {
            using var command = SqliteCommands.Create(connection, """
                SELECT id FROM instances
                WHERE status = $running AND (lease_until IS NULL OR lease_until < $now)
                ORDER BY lease_until, id LIMIT $limit
                """, ("$running", InstanceStatusText.Running), ("$now", StoreTime.ToUnixMs(now)), ("$limit", limit));
            return ReadAll(command, r => r.GetString(0));
        }));

    private static WorkflowInstance ReadInstance(SqliteDataReader r) => InstanceRow.Read(r, (reader, i) => StoreTime.FromUnixMs(reader.GetInt64(i)));

    private static List<T> ReadAll<T>(SqliteCommand command, Func<SqliteDataReader, T> map)
    {
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read()) list.Add(map(reader));
        return list;
    }
}
