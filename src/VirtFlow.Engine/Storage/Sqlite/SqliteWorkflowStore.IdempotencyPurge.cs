using VirtFlow.Engine.Storage.Idempotency;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore : IIdempotencyPurge
{
    /// <inheritdoc />
    public Task<int> PurgeExpiredIdempotencyKeysAsync(int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return WriteAsync(connection => SqliteCommands.Execute(connection, """
            DELETE FROM idempotency_keys WHERE rowid IN (
                SELECT rowid FROM idempotency_keys WHERE expires_at <= $now ORDER BY expires_at LIMIT $limit)
            """, ("$now", NowMs), ("$limit", limit)), ct);
    }
}
