using Npgsql;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore
{
    private const string InboxColumns = "id, key, payload, received_at, expires_at, consumed_at";

    /// <inheritdoc />
    public async Task<bool> TryAddInboxEventAsync(InboxEvent inboxEvent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(inboxEvent);
        return await ExecuteAsync("""
            INSERT INTO inbox (id, key, payload, received_at, expires_at, consumed_at)
            VALUES (@id, @key, @payload, @received_at, @expires_at, @consumed_at)
            ON CONFLICT (id) DO NOTHING
            """, ct,
            P.Text("id", inboxEvent.Id), P.Text("key", inboxEvent.Key), P.Json("payload", StoreJson.WriteOrNull(inboxEvent.Payload)),
            P.Time("received_at", OrNow(inboxEvent.ReceivedAt)), P.Time("expires_at", inboxEvent.ExpiresAt),
            P.Time("consumed_at", inboxEvent.ConsumedAt)) == 1;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InboxEvent>> FindInboxEventsAsync(string key, CancellationToken ct = default) =>
        await QueryAsync($"""
            SELECT {InboxColumns} FROM inbox
            WHERE key = @key AND consumed_at IS NULL AND expires_at > @now
            ORDER BY received_at, id
            """, ReadInboxEvent, ct, P.Text("key", key), P.Time("now", Now));

    /// <inheritdoc />
    public async Task<IReadOnlyList<InboxEvent>> FindMatchableInboxEventsAsync(int limit, CancellationToken ct = default) =>
        await QueryAsync($"""
            SELECT {InboxColumns} FROM inbox i
            WHERE consumed_at IS NULL AND expires_at > @now
              AND EXISTS (SELECT 1 FROM bookmarks b WHERE b.key = i.key)
            ORDER BY received_at, id LIMIT @limit
            """, ReadInboxEvent, ct, P.Time("now", Now), P.Int("limit", limit));

    /// <inheritdoc />
    public Task<int> PurgeInboxAsync(DateTimeOffset now, DateTimeOffset olderThan, CancellationToken ct = default) =>
        ExecuteAsync("DELETE FROM inbox WHERE expires_at <= @now OR consumed_at < @older", ct,
            P.Time("now", now), P.Time("older", olderThan));

    private static InboxEvent ReadInboxEvent(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        Key = r.GetString(1),
        Payload = StoreJson.Read(r.GetStringOrNull(2)),
        ReceivedAt = r.GetTime(3),
        ExpiresAt = r.GetTime(4),
        ConsumedAt = r.GetTimeOrNull(5),
    };
}
