using VirtFlow.Engine.Storage.Triggers;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore : IMessageDedupeStore
{
    /// <inheritdoc />
    /// <remarks>One write transaction: the upsert replaces only an expired row, then the row that holds the key is read.</remarks>
    public Task<MessageDedupeClaim> ClaimMessageKeyAsync(MessageDedupeRecord claim, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var created = MsOrNow(claim.CreatedAt);
        return WriteAsync(connection =>
        {
            var changed = SqliteCommands.Execute(connection, """
                INSERT INTO message_dedupe (message_type, key, instance_id, created_at, expires_at)
                VALUES ($type, $key, $instance, $created, $expires)
                ON CONFLICT (message_type, key) DO UPDATE SET instance_id = excluded.instance_id,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                WHERE message_dedupe.expires_at <= $now
                """, ("$type", claim.MessageType), ("$key", claim.Key), ("$instance", claim.InstanceId),
                ("$created", created), ("$expires", StoreTime.ToUnixMs(claim.ExpiresAt)), ("$now", NowMs));
            using var read = SqliteCommands.Create(connection,
                "SELECT instance_id, created_at, expires_at FROM message_dedupe WHERE message_type = $type AND key = $key",
                ("$type", claim.MessageType), ("$key", claim.Key));
            using var r = read.ExecuteReader();
            r.Read();
            var held = claim with { InstanceId = r.GetString(0), CreatedAt = r.GetTime(1), ExpiresAt = r.GetTime(2) };
            return new MessageDedupeClaim(changed > 0, held);
        }, ct);
    }

    /// <inheritdoc />
    public Task ReleaseMessageKeyAsync(string messageType, string key, string instanceId, CancellationToken ct = default) =>
        WriteAsync(connection => SqliteCommands.Execute(connection,
            "DELETE FROM message_dedupe WHERE message_type = $type AND key = $key AND instance_id = $instance",
            ("$type", messageType), ("$key", key), ("$instance", instanceId)), ct);

    /// <inheritdoc />
    public Task<int> PurgeExpiredMessageKeysAsync(CancellationToken ct = default) =>
        WriteAsync(connection => SqliteCommands.Execute(connection, "DELETE FROM message_dedupe WHERE expires_at <= $now", ("$now", NowMs)), ct);

    /// <inheritdoc />
    public Task CountMessageAsync(string messageType, MessageOutcome outcome, CancellationToken ct = default) =>
        WriteAsync(connection => SqliteCommands.Execute(connection, """
            INSERT INTO message_counts (message_type, outcome, count) VALUES ($type, $outcome, 1)
            ON CONFLICT (message_type, outcome) DO UPDATE SET count = message_counts.count + 1
            """, ("$type", messageType), ("$outcome", MessageCountsRows.Name(outcome))), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<MessageCounts>> ListMessageCountsAsync(CancellationToken ct = default) =>
        Task.FromResult(Read(connection =>
        {
            using var command = SqliteCommands.Create(connection, "SELECT message_type, outcome, count FROM message_counts");
            using var r = command.ExecuteReader();
            var rows = new List<(string, string, long)>();
            while (r.Read()) rows.Add((r.GetString(0), r.GetString(1), r.GetInt64(2)));
            return MessageCountsRows.Fold(rows);
        }));
}
