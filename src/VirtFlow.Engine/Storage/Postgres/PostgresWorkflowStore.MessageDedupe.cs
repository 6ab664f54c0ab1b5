using VirtFlow.Engine.Storage.Triggers;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore : IMessageDedupeStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One statement: the upsert replaces only an expired row and returns it (claimed); when it changed nothing the row
    /// that holds the key is read. Concurrent claims of one key serialize on its primary key: one wins, the others see it.
    /// </remarks>
    public async Task<MessageDedupeClaim> ClaimMessageKeyAsync(MessageDedupeRecord claim, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var rows = await QueryAsync("""
            WITH claimed AS (
                INSERT INTO message_dedupe (message_type, key, instance_id, created_at, expires_at)
                VALUES (@type, @key, @instance, @created, @expires)
                ON CONFLICT (message_type, key) DO UPDATE SET instance_id = excluded.instance_id,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                WHERE message_dedupe.expires_at <= @now
                RETURNING true AS claimed, instance_id, created_at, expires_at)
            SELECT claimed, instance_id, created_at, expires_at FROM claimed
            UNION ALL
            SELECT false, instance_id, created_at, expires_at FROM message_dedupe
            WHERE message_type = @type AND key = @key AND NOT EXISTS (SELECT 1 FROM claimed)
            """, r => new MessageDedupeClaim(r.GetBoolean(0),
                claim with { InstanceId = r.GetString(1), CreatedAt = r.GetTime(2), ExpiresAt = r.GetTime(3) }),
            ct,
            P.Text("type", claim.MessageType), P.Text("key", claim.Key), P.Text("instance", claim.InstanceId),
            P.Time("created", OrNow(claim.CreatedAt)), P.Time("expires", claim.ExpiresAt), P.Time("now", Now));
        if (rows.Count == 1) return rows[0];
        // The conflicting row was inserted by a transaction that had not committed when this statement's snapshot was taken: read again.
        return await ClaimMessageKeyAsync(claim, ct);
    }

    /// <inheritdoc />
    public async Task ReleaseMessageKeyAsync(string messageType, string key, string instanceId, CancellationToken ct = default) =>
        await ExecuteAsync("DELETE FROM message_dedupe WHERE message_type = @type AND key = @key AND instance_id = @instance", ct,
            P.Text("type", messageType), P.Text("key", key), P.Text("instance", instanceId));

    /// <inheritdoc />
    public Task<int> PurgeExpiredMessageKeysAsync(CancellationToken ct = default) =>
        ExecuteAsync("DELETE FROM message_dedupe WHERE expires_at <= @now", ct, P.Time("now", Now));

    /// <inheritdoc />
    public async Task CountMessageAsync(string messageType, MessageOutcome outcome, CancellationToken ct = default) =>
        await ExecuteAsync("""
            INSERT INTO message_counts (message_type, outcome, count) VALUES (@type, @outcome, 1)
            ON CONFLICT (message_type, outcome) DO UPDATE SET count = message_counts.count + 1
            """, ct, P.Text("type", messageType), P.Text("outcome", MessageCountsRows.Name(outcome)));

    /// <inheritdoc />
    public async Task<IReadOnlyList<MessageCounts>> ListMessageCountsAsync(CancellationToken ct = default) =>
        MessageCountsRows.Fold(await QueryAsync("SELECT message_type, outcome, count FROM message_counts",
            r => (r.GetString(0), r.GetString(1), r.GetInt64(2)), ct));
}
