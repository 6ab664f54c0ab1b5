using Npgsql;
using VirtFlow.Engine.Runtime;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

// Locks (WorkflowInstance.LockKey): the unique partial index ux_instances_lock (migration 6) allows one Running or
// Suspended instance per key; two engines committing holders at once are serialized by the index (the second waits for
// the first's transaction and then fails). A final status leaves the index.
public sealed partial class PostgresWorkflowStore : IInstanceLockStore
{
    private const string LockIndex = "ux_instances_lock";

    private const string HolderSql =
        "SELECT id FROM instances WHERE lock_key = @key AND status IN ('running', 'suspended') AND id <> @id LIMIT 1";

    /// <inheritdoc />
    public async Task<string?> FindLockHolderAsync(string lockKey, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lockKey);
        var rows = await QueryAsync(HolderSql, r => r.GetString(0), ct, P.Text("key", lockKey), P.Text("id", ""));
        return rows.Count == 0 ? null : rows[0];
    }

    private static bool IsLockConflict(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == LockIndex;

    /// <summary>The refusal of <paramref name="instance"/>'s commit, naming the holder (read after the rollback).</summary>
    private static async Task<WorkflowLockedException> LockedAsync(NpgsqlConnection connection, WorkflowInstance instance, CancellationToken ct)
    {
        var key = instance.LockKey;
        if (key is null)
        {
            await using var stored = new NpgsqlCommand("SELECT lock_key FROM instances WHERE id = @id", connection);
            stored.Parameters.Add(P.Text("id", instance.Id));
            key = await stored.ExecuteScalarAsync(ct) as string ?? "";
        }
        await using var command = new NpgsqlCommand(HolderSql, connection);
        command.Parameters.Add(P.Text("key", key));
        command.Parameters.Add(P.Text("id", instance.Id));
        var holder = await command.ExecuteScalarAsync(ct) as string;
        return new WorkflowLockedException(key, holder ?? "(one that has just ended)", instance.Id);
    }
}
