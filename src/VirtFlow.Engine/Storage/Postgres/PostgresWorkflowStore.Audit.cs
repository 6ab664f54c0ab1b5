using VirtFlow.Engine.Storage.Api;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore : IAuditStore
{
    /// <inheritdoc />
    public async Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var rows = await QueryAsync("INSERT INTO audit (at, actor, action, target, status) VALUES (@at, @actor, @action, @target, @status) RETURNING seq",
            r => r.GetInt64(0), ct, P.Time("at", OrNow(entry.At)), P.Text("actor", entry.Actor), P.Text("action", entry.Action),
            P.Text("target", entry.Target), P.Int("status", entry.Status));
        return rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await QueryAsync("""
            SELECT seq, at, actor, action, target, status FROM audit
            WHERE seq > @after AND (@since::timestamptz IS NULL OR at >= @since) ORDER BY seq LIMIT @limit
            """, r => new AuditEntry(r.GetInt64(0), r.GetTime(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5)),
            ct, P.Long("after", query.After), P.Time("since", query.Since), P.Int("limit", query.Limit));
    }
}
