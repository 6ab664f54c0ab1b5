using VirtFlow.Engine.Storage.Idempotency;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore : IIdempotencyPurge
{
    /// <inheritdoc />
    /// <remarks>Rows another server deletes at the same time are skipped, not waited for.</remarks>
    public Task<int> PurgeExpiredIdempotencyKeysAsync(int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ExecuteAsync("""
            DELETE FROM idempotency_keys WHERE (caller, key) IN (
                SELECT caller, key FROM idempotency_keys WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit FOR UPDATE SKIP LOCKED)
            """, ct, P.Time("now", Now), P.Int("limit", limit));
    }
}
