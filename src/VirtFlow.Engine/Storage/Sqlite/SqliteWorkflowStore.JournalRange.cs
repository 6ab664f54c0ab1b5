namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore : IJournalRangeReader
{
    /// <inheritdoc />
    /// <remarks>The group-by runs over the instance's <c>Progress</c> lines only (index <c>ix_journal_instance_kind</c>, migration 8).</remarks>
    public Task<IReadOnlyList<JournalEntry>> GetLatestProgressAsync(string instanceId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        return Task.FromResult(Read<IReadOnlyList<JournalEntry>>(connection =>
        {
            using var command = SqliteCommands.Create(connection, """
                SELECT seq, instance_id, at, step_path, kind, message, data FROM journal WHERE seq IN (
                    SELECT MAX(seq) FROM journal WHERE instance_id = $id AND kind = 'Progress' AND step_path IS NOT NULL
                    GROUP BY step_path, json_extract(data, '$.device'))
                ORDER BY seq
                """, ("$id", instanceId));
            return ReadAll(command, ReadJournalEntry);
        }));
    }
}
