using System.Data.Common;

namespace VirtFlow.Engine.Storage;

/// <summary>
/// An <c>instances</c> row as both SQL stores select it (<c>InstanceColumns</c>: the same eighteen columns in the same
/// order), read into a <see cref="WorkflowInstance"/>. Each store reads its own time columns (SQLite: Unix milliseconds,
/// PostgreSQL: <c>timestamptz</c>).
/// </summary>
internal static class InstanceRow
{
    public static WorkflowInstance Read(DbDataReader r, Func<DbDataReader, int, DateTimeOffset> time) => new()
    {
        Id = r.GetString(0),
        WorkflowName = r.GetString(1),
        WorkflowVersion = r.GetInt32(2),
        DefinitionHash = r.GetString(3),
        Status = InstanceStatusText.Parse(r.GetString(4)),
        Version = r.GetInt64(5),
        CorrelationId = StringOrNull(r, 6),
        ParentInstanceId = StringOrNull(r, 7),
        ParentStepPath = StringOrNull(r, 8),
        Input = StoreJson.ReadObject(r.GetString(9)),
        Output = StoreJson.ReadObjectOrNull(StringOrNull(r, 10)),
        Fault = StringOrNull(r, 11),
        State = StoreJson.ReadObject(r.GetString(12)),
        CreatedAt = time(r, 13),
        UpdatedAt = time(r, 14),
        LeaseUntil = r.IsDBNull(15) ? null : time(r, 15),
        LeaseOwner = StringOrNull(r, 16),
        LockKey = StringOrNull(r, 17),
    };

    private static string? StringOrNull(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
