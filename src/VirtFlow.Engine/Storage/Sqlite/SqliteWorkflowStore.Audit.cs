using VirtFlow.Engine.Storage.Api;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore : IAuditStore
{
    /// <inheritdoc />
    public Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteAsync(connection =>
        {
            using var command = SqliteCommands.Create(connection,
                "INSERT INTO audit (at, actor, action, target, status) VALUES ($at, $actor, $action, $target, $status) RETURNING seq",
                ("$at", MsOrNow(entry.At)), ("$actor", entry.Actor), ("$action", entry.Action), ("$target", entry.Target), ("$status", entry.Status));
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }, ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.FromResult(Read<IReadOnlyList<AuditEntry>>(connection =>
        {
            using var command = SqliteCommands.Create(connection, """
                SELECT seq, at, actor, action, target, status FROM audit
                WHERE seq > $after AND at >= $since ORDER BY seq LIMIT $limit
                """, ("$after", query.After), ("$since", StoreTime.ToUnixMs(query.Since) ?? long.MinValue), ("$limit", query.Limit));
            return ReadAll(command, r => new AuditEntry(r.GetInt64(0), r.GetTime(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5)));
        }));
    }
}
