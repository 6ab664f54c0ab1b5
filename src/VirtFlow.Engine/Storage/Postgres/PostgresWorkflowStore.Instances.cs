using System.Text;
using Npgsql;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore
{
    private const string InstanceColumns = $"""
        id, workflow_name, workflow_version, definition_hash, status, version, correlation_id, parent_instance_id,
        parent_step_path, input, output, fault, {PostgresStateMigration.AssembledState}, created_at, updated_at, lease_until, lease_owner, lock_key
        """;

    /// <inheritdoc />
    public async Task<WorkflowInstance?> GetInstanceAsync(string instanceId, CancellationToken ct = default)
    {
        var rows = await QueryAsync($"SELECT {InstanceColumns} FROM instances WHERE id = @id", ReadInstance, ct, P.Text("id", instanceId));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<long?> GetInstanceVersionAsync(string instanceId, CancellationToken ct = default)
    {
        var rows = await QueryAsync("SELECT version FROM instances WHERE id = @id", r => r.GetInt64(0), ct, P.Text("id", instanceId));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WorkflowInstance>> ListInstancesAsync(InstanceQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder($"SELECT {InstanceColumns} FROM instances WHERE true");
        var parameters = new List<NpgsqlParameter>();
        if (query.Status is { } status)
        {
            sql.Append(" AND status = @status");
            parameters.Add(P.Text("status", InstanceStatusText.From(status)));
        }
        if (query.WorkflowName is { } name)
        {
            sql.Append(" AND workflow_name = @name");
            parameters.Add(P.Text("name", name));
        }
        if (query.CorrelationId is { } correlation)
        {
            sql.Append(" AND correlation_id = @correlation");
            parameters.Add(P.Text("correlation", correlation));
        }
        sql.Append(" ORDER BY created_at, id LIMIT @limit");
        parameters.Add(P.Int("limit", query.Limit));
        return await QueryAsync(sql.ToString(), ReadInstance, ct, [.. parameters]);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> FindOrphanedInstancesAsync(DateTimeOffset now, int limit, CancellationToken ct = default) =>
        await QueryAsync("""
            SELECT id FROM instances
            WHERE status = @running AND (lease_until IS NULL OR lease_until < @now)
            ORDER BY lease_until NULLS FIRST, id LIMIT @limit
            """, r => r.GetString(0), ct,
            P.Text("running", InstanceStatusText.Running), P.Time("now", now), P.Int("limit", limit));

    private static WorkflowInstance ReadInstance(NpgsqlDataReader r) => InstanceRow.Read(r, (reader, i) => reader.GetFieldValue<DateTimeOffset>(i));
}
