using VirtFlow.Engine.Storage.Idempotency;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore : IIdempotencyStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One statement: the upsert replaces only an expired row and returns it (claimed); when it changed nothing the row
    /// that holds the key is read. Concurrent claims of one key serialize on its primary key: one wins, the others see it.
    /// </remarks>
    public async Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotencyRecord claim, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var rows = await QueryAsync("""
            WITH claimed AS (
                INSERT INTO idempotency_keys (caller, key, request_hash, instance_id, created_at, expires_at)
                VALUES (@caller, @key, @hash, @instance, @created, @expires)
                ON CONFLICT (caller, key) DO UPDATE SET request_hash = excluded.request_hash, instance_id = excluded.instance_id,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                WHERE idempotency_keys.expires_at <= @now
                RETURNING true AS claimed, request_hash, instance_id, created_at, expires_at)
            SELECT claimed, request_hash, instance_id, created_at, expires_at FROM claimed
            UNION ALL
            SELECT false, request_hash, instance_id, created_at, expires_at FROM idempotency_keys
            WHERE caller = @caller AND key = @key AND NOT EXISTS (SELECT 1 FROM claimed)
            """, r => new IdempotencyClaim(r.GetBoolean(0),
                claim with { RequestHash = r.GetString(1), InstanceId = r.GetString(2), CreatedAt = r.GetTime(3), ExpiresAt = r.GetTime(4) }),
            ct,
            P.Text("caller", claim.Caller), P.Text("key", claim.Key), P.Text("hash", claim.RequestHash), P.Text("instance", claim.InstanceId),
            P.Time("created", OrNow(claim.CreatedAt)), P.Time("expires", claim.ExpiresAt), P.Time("now", Now));
        if (rows.Count == 1) return rows[0];
        // The conflicting row was inserted by a transaction that had not committed when this statement's snapshot was taken: read again.
        return await ClaimIdempotencyKeyAsync(claim, ct);
    }

    /// <inheritdoc />
    public async Task ReleaseIdempotencyKeyAsync(string caller, string key, string instanceId, CancellationToken ct = default) =>
        await ExecuteAsync("DELETE FROM idempotency_keys WHERE caller = @caller AND key = @key AND instance_id = @instance", ct,
            P.Text("caller", caller), P.Text("key", key), P.Text("instance", instanceId));
}
