using Microsoft.Data.Sqlite;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxMessage>> GetPendingOutboxAsync(int limit, CancellationToken ct = default) =>
        Task.FromResult(Read<IReadOnlyList<OutboxMessage>>(connection =>
        {
            using var command = SqliteCommands.Create(connection, """
                SELECT id, instance_id, destination, message_type, payload, created_at, attempts, dispatched_at, last_error
                FROM outbox WHERE dispatched_at IS NULL ORDER BY created_at, seq LIMIT $limit
                """, ("$limit", limit));
            return ReadAll(command, ReadOutboxMessage);
        }));

    /// <inheritdoc />
    public Task MarkOutboxDispatchedAsync(string messageId, DateTimeOffset at, CancellationToken ct = default) =>
        WriteAsync(connection => SqliteCommands.Execute(connection,
            "UPDATE outbox SET dispatched_at = $at WHERE id = $id AND dispatched_at IS NULL",
            ("$id", messageId), ("$at", StoreTime.ToUnixMs(at))), ct);

    /// <inheritdoc />
    public Task MarkOutboxFailedAsync(string messageId, string error, CancellationToken ct = default) =>
        WriteAsync(connection => SqliteCommands.Execute(connection,
            "UPDATE outbox SET attempts = attempts + 1, last_error = $error WHERE id = $id",
            ("$id", messageId), ("$error", error)), ct);

    private static OutboxMessage ReadOutboxMessage(SqliteDataReader r) => new()
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
