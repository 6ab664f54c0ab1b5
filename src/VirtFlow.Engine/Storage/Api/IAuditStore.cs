namespace VirtFlow.Engine.Storage.Api;

/// <summary>The HTTP API's audit log: every mutating call, appended, read in pages (migration 3).</summary>
public interface IAuditStore
{
    /// <summary>Appends an entry; returns its sequence number.</summary>
    Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken ct = default);

    /// <summary>Entries in sequence order: after <see cref="AuditQuery.After"/>, at or after <see cref="AuditQuery.Since"/>, at most <see cref="AuditQuery.Limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken ct = default);
}
