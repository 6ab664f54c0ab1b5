namespace VirtFlow.Engine.Storage.Sqlite;

/// <remarks>SQLite has one writer at a time, so sequence order is commit order: every page is settled.</remarks>
public sealed partial class SqliteWorkflowStore : IJournalReader
{
    /// <inheritdoc />
    public Task<IReadOnlyList<JournalEntry>> GetJournalAfterAsync(long afterSequence, string? instanceId, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Task.FromResult(Read<IReadOnlyList<JournalEntry>>(connection =>
        {
            using var command = instanceId is null
                ? SqliteCommands.Create(connection,
                    "SELECT seq, instance_id, at, step_path, kind, message, data FROM journal WHERE seq > $after ORDER BY seq LIMIT $limit",
                    ("$after", afterSequence), ("$limit", limit))
                : SqliteCommands.Create(connection,
                    "SELECT seq, instance_id, at, step_path, kind, message, data FROM journal WHERE instance_id = $id AND seq > $after ORDER BY seq LIMIT $limit",
                    ("$id", instanceId), ("$after", afterSequence), ("$limit", limit));
            return ReadAll(command, ReadJournalEntry);
        }));
    }

    /// <inheritdoc />
    public Task<long> GetJournalHeadAsync(CancellationToken ct = default) =>
        Task.FromResult(Read(connection =>
        {
            using var command = SqliteCommands.Create(connection, "SELECT COALESCE(MAX(seq), 0) FROM journal");
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }));
}
