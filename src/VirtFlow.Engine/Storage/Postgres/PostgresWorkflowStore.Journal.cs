using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken ct = default) =>
        await QueryAsync("SELECT seq, instance_id, at, step_path, kind, message, data FROM journal WHERE instance_id = @id ORDER BY seq",
            ReadJournalEntry, ct, P.Text("id", instanceId));

    /// <summary>A row of <c>SELECT seq, instance_id, at, step_path, kind, message, data FROM journal</c>.</summary>
    private static JournalEntry ReadJournalEntry(Npgsql.NpgsqlDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        InstanceId = r.GetString(1),
        At = r.GetTime(2),
        StepPath = r.GetStringOrNull(3),
        Kind = r.GetString(4),
        Message = r.GetStringOrNull(5),
        Data = StoreJson.Read(r.GetStringOrNull(6)),
    };
}
