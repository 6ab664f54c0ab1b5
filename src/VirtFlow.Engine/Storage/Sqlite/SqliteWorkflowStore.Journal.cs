namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken ct = default) =>
        Task.FromResult(Read<IReadOnlyList<JournalEntry>>(connection =>
        {
            using var command = SqliteCommands.Create(connection,
                "SELECT seq, instance_id, at, step_path, kind, message, data FROM journal WHERE instance_id = $id ORDER BY seq",
                ("$id", instanceId));
            return ReadAll(command, ReadJournalEntry);
        }));

    /// <summary>A row of <c>SELECT seq, instance_id, at, step_path, kind, message, data FROM journal</c>.</summary>
    private static JournalEntry ReadJournalEntry(Microsoft.Data.Sqlite.SqliteDataReader r) => new()
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
