using Npgsql;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxMessage>> GetPendingOutboxAsync(int limit, CancellationToken ct = default) =>
        await QueryAsync("""
            SELECT id, instance_id, destination, message_type, payload, created_at, attempts, dispatched_at, last_error
            FROM outbox WHERE dispatched_at IS NULL ORDER BY created_at, seq LIMIT @limit
            """, ReadOutboxMessage, ct, P.Int("limit", limit));

    /// <inheritdoc />
    public Task MarkOutboxDispatchedAsync(string messageId, DateTimeOffset at, CancellationToken ct = default) =>
        ExecuteAsync("UPDATE outbox SET dispatched_at = @at WHERE id = @id AND dispatched_at IS NULL", ct,
            P.Text("id", messageId), P.Time("at", at));

    /// <inheritdoc />
    public Task MarkOutboxFailedAsync(string messageId, string error, CancellationToken ct = default) =>
        ExecuteAsync("UPDATE outbox SET attempts = attempts + 1, last_error = @error WHERE id = @id", ct,
            P.Text("id", messageId), P.Text("error", error));

    private static OutboxMessage ReadOutboxMessage(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        InstanceId = r.GetString(1),
        Destination = r.GetString(2),
        MessageType = r.GetString(3),
        Payload = StoreJson.ReadObject(r.GetString(4)),
        CreatedAt = r.GetTime(5),
        Attempts = r.GetInt32(6),
        DispatchedAt = r.GetTimeOrNull(7),
        LastError = r.GetStringOrNull(8),
    };
}
