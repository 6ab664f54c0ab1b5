using Microsoft.Data.Sqlite;
using VirtFlow.Engine.Storage.Limits;

namespace VirtFlow.Engine.Storage.Sqlite;

// Counted limits (migration 11): an acquire is one BEGIN IMMEDIATE transaction, so two engines on one file take slots one
// after the other. Slots of instances no longer Running or Suspended are deleted first: they never count.
public sealed partial class SqliteWorkflowStore : ICountedLimitStore
{
    private const string DropEndedSql = """
        DELETE FROM limit_slots WHERE key = $key
          AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = limit_slots.instance_id AND i.status IN ('running', 'suspended'))
        """;

    private const string SlotsSql = "SELECT instance_id, holder, acquired_at FROM limit_slots WHERE key = $key ORDER BY acquired_at, instance_id, holder";

    private const string LiveSlotsSql = """
        SELECT s.instance_id, s.holder, s.acquired_at FROM limit_slots s JOIN instances i ON i.id = s.instance_id
        WHERE s.key = $key AND i.status IN ('running', 'suspended') ORDER BY s.acquired_at, s.instance_id, s.holder
        """;

    /// <inheritdoc />
    public Task<LimitClaim> TryAcquireLimitAsync(string key, int max, string instanceId, string holder, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        return WriteAsync(connection =>
        {
            SqliteCommands.Execute(connection, DropEndedSql, ("$key", key));
            var slots = Slots(connection, SlotsSql, key);
            var mine = slots.Any(s => s.InstanceId == instanceId && s.Holder == holder);
            if (!mine && slots.Count < max)
            {
                SqliteCommands.Execute(connection, "INSERT INTO limit_slots (key, instance_id, holder, acquired_at) VALUES ($key, $id, $holder, $at)",
                    ("$key", key), ("$id", instanceId), ("$holder", holder), ("$at", NowMs));
                slots = Slots(connection, SlotsSql, key);
                mine = true;
            }
            return new LimitClaim(mine, slots);
        }, ct);
    }

    /// <inheritdoc />
    public Task<bool> ReleaseLimitAsync(string key, string instanceId, string holder, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return WriteAsync(connection => SqliteCommands.Execute(connection,
            "DELETE FROM limit_slots WHERE key = $key AND instance_id = $id AND holder = $holder",
            ("$key", key), ("$id", instanceId), ("$holder", holder)) > 0, ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LimitHolder>> ListLimitHoldersAsync(string key, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Task.FromResult<IReadOnlyList<LimitHolder>>(Read(connection => Slots(connection, LiveSlotsSql, key)));
    }

    private static List<LimitHolder> Slots(SqliteConnection connection, string sql, string key)
    {
        using var command = SqliteCommands.Create(connection, sql, ("$key", key));
        using var r = command.ExecuteReader();
        var slots = new List<LimitHolder>();
        while (r.Read()) slots.Add(new LimitHolder(r.GetString(0), r.GetString(1), r.GetTime(2)));
        return slots;
    }
}
