using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore : IJournalRangeReader
{
    /// <inheritdoc />
    /// <remarks>The group-by runs over the instance's <c>Progress</c> lines only (index <c>ix_journal_instance_kind</c>, migration 8).</remarks>
    public async Task<IReadOnlyList<JournalEntry>> GetLatestProgressAsync(string instanceId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        return await QueryAsync("""
            SELECT seq, instance_id, at, step_path, kind, message, data FROM journal WHERE seq IN (
                SELECT MAX(seq) FROM journal WHERE instance_id = @id AND kind = 'Progress' AND step_path IS NOT NULL
                GROUP BY step_path, data->>'device')
            ORDER BY seq
            """, ReadJournalEntry, ct, P.Text("id", instanceId));
    }
}
