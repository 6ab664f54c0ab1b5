using Microsoft.Data.Sqlite;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    private const string InboxColumns = "id, key, payload, received_at, expires_at, consumed_at";

    /// <inheritdoc />
    public Task<bool> TryAddInboxEventAsync(InboxEvent inboxEvent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(inboxEvent);
        return WriteAsync(connection => SqliteCommands.Execute(connection, """
            INSERT INTO inbox (id, key, payload, received_at, expires_at, consumed_at)
            VALUES ($id, $key, $payload, $received_at, $expires_at, $consumed_at)
            ON CONFLICT (id) DO NOTHING
            """,
            ("$id", inboxEvent.Id),
            ("$key", inboxEvent.Key),
            ("$payload", StoreJson.WriteOrNull(inboxEvent.Payload)),
            ("$received_at", MsOrNow(inboxEvent.ReceivedAt)),
            ("$expires_at", StoreTime.ToUnixMs(inboxEvent.ExpiresAt)),
            ("$consumed_at", StoreTime.ToUnixMs(inboxEvent.ConsumedAt))) == 1, ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InboxEvent>> FindInboxEventsAsync(string key, CancellationToken ct = default) =>
        Task.FromResult(Read<IReadOnlyList<InboxEvent>>(connection =>
        {
            using var command = SqliteCommands.Create(connection, $"""
                SELECT {InboxColumns} FROM inbox
                WHERE key = $key AND consumed_at IS NULL AND expires_at > $now
                ORDER BY received_at, id
                """, ("$key", key), ("$now", NowMs));
            return ReadAll(command, ReadInboxEvent);
        }));

    /// <inheritdoc />
    public Task<IReadOnlyList<InboxEvent>> FindMatchableInboxEventsAsync(int limit, CancellationToken ct = default) =>
        Task.FromResult(Read<IReadOnlyList<InboxEvent>>(connection =>
        {
            using var command = SqliteCommands.Create(connection, $"""
                SELECT {InboxColumns} FROM inbox
                WHERE consumed_at IS NULL AND expires_at > $now
                  AND key IN (SELECT key FROM bookmarks WHERE key IS NOT NULL)
                ORDER BY received_at, id LIMIT $limit
                """, ("$now", NowMs), ("$limit", limit));
            return ReadAll(command, ReadInboxEvent);
        }));

    /// <inheritdoc />
    public Task<int> PurgeInboxAsync(DateTimeOffset now, DateTimeOffset olderThan, CancellationToken ct = default) =>
        WriteAsync(connection => SqliteCommands.Execute(connection,
            "DELETE FROM inbox WHERE expires_at <= $now OR consumed_at < $older",
            ("$now", StoreTime.ToUnixMs(now)), ("$older", StoreTime.ToUnixMs(olderThan))), ct);

    private static InboxEvent ReadInboxEvent(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Key = r.GetString(1),
        Payload = StoreJson.Read(r.GetStringOrNull(2)),
        ReceivedAt = r.GetTime(3),
        ExpiresAt = r.GetTime(4),
        ConsumedAt = r.GetTimeOrNull(5),
    };
}
