using Npgsql;
using VirtFlow.Engine.Storage.Limits;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

// Counted limits (migration 11): an acquire is one transaction under a transaction-level advisory lock on the key's hash,
// so engines on several servers take slots of one key one after the other. Slots of instances no longer Running or
// Suspended are deleted first: they never count.
public sealed partial class PostgresWorkflowStore : ICountedLimitStore
{
    private const string DropEndedSql = """
        DELETE FROM limit_slots s WHERE s.key = @key
          AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = s.instance_id AND i.status IN ('running', 'suspended'))
        """;

    private const string SlotsSql = "SELECT instance_id, holder, acquired_at FROM limit_slots WHERE key = @key ORDER BY acquired_at, instance_id, holder";

    private const string LiveSlotsSql = """
        SELECT s.instance_id, s.holder, s.acquired_at FROM limit_slots s JOIN instances i ON i.id = s.instance_id
        WHERE s.key = @key AND i.status IN ('running', 'suspended') ORDER BY s.acquired_at, s.instance_id, s.holder
        """;

    /// <inheritdoc />
    public async Task<LimitClaim> TryAcquireLimitAsync(string key, int max, string instanceId, string holder, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ExecuteOnAsync(connection, "SELECT pg_advisory_xact_lock(hashtextextended(@key, 11))", ct, P.Text("key", key));
        await ExecuteOnAsync(connection, DropEndedSql, ct, P.Text("key", key));
        var slots = await SlotsAsync(connection, SlotsSql, key, ct);
        var mine = slots.Any(s => s.InstanceId == instanceId && s.Holder == holder);
        if (!mine && slots.Count < max)
        {
            await ExecuteOnAsync(connection, "INSERT INTO limit_slots (key, instance_id, holder, acquired_at) VALUES (@key, @id, @holder, @at)", ct,
                P.Text("key", key), P.Text("id", instanceId), P.Text("holder", holder), P.Time("at", Now));
            slots = await SlotsAsync(connection, SlotsSql, key, ct);
            mine = true;
        }
        await tx.CommitAsync(ct);
        return new LimitClaim(mine, slots);
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseLimitAsync(string key, string instanceId, string holder, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return await ExecuteAsync("DELETE FROM limit_slots WHERE key = @key AND instance_id = @id AND holder = @holder", ct,
            P.Text("key", key), P.Text("id", instanceId), P.Text("holder", holder)) > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LimitHolder>> ListLimitHoldersAsync(string key, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return await QueryAsync(LiveSlotsSql, r => new LimitHolder(r.GetString(0), r.GetString(1), r.GetTime(2)), ct, P.Text("key", key));
    }

    private static async Task ExecuteOnAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<LimitHolder>> SlotsAsync(NpgsqlConnection connection, string sql, string key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(P.Text("key", key));
        await using var r = await command.ExecuteReaderAsync(ct);
        var slots = new List<LimitHolder>();
        while (await r.ReadAsync(ct)) slots.Add(new LimitHolder(r.GetString(0), r.GetString(1), r.GetTime(2)));
        return slots;
    }
}
