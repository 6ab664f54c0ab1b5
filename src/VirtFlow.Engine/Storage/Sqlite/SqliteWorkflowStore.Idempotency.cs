using VirtFlow.Engine.Storage.Idempotency;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore : IIdempotencyStore
{
    /// <inheritdoc />
    /// <remarks>One write transaction: the upsert replaces only an expired row, then the row that holds the key is read.</remarks>
    public Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotencyRecord claim, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var created = MsOrNow(claim.CreatedAt);
        return WriteAsync(connection =>
        {
            var changed = SqliteCommands.Execute(connection, """
                INSERT INTO idempotency_keys (caller, key, request_hash, instance_id, created_at, expires_at)
                VALUES ($caller, $key, $hash, $instance, $created, $expires)
                ON CONFLICT (caller, key) DO UPDATE SET request_hash = excluded.request_hash, instance_id = excluded.instance_id,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                WHERE idempotency_keys.expires_at <= $now
                """, ("$caller", claim.Caller), ("$key", claim.Key), ("$hash", claim.RequestHash), ("$instance", claim.InstanceId),
                ("$created", created), ("$expires", StoreTime.ToUnixMs(claim.ExpiresAt)), ("$now", NowMs));
            using var read = SqliteCommands.Create(connection,
                "SELECT request_hash, instance_id, created_at, expires_at FROM idempotency_keys WHERE caller = $caller AND key = $key",
                ("$caller", claim.Caller), ("$key", claim.Key));
            using var r = read.ExecuteReader();
            r.Read();
            var held = claim with { RequestHash = r.GetString(0), InstanceId = r.GetString(1), CreatedAt = r.GetTime(2), ExpiresAt = r.GetTime(3) };
            return new IdempotencyClaim(changed > 0, held);
        }, ct);
    }

    /// <inheritdoc />
    public Task ReleaseIdempotencyKeyAsync(string caller, string key, string instanceId, CancellationToken ct = default) =>
        WriteAsync(connection => SqliteCommands.Execute(connection,
            "DELETE FROM idempotency_keys WHERE caller = $caller AND key = $key AND instance_id = $instance",
            ("$caller", caller), ("$key", key), ("$instance", instanceId)), ct);
}
