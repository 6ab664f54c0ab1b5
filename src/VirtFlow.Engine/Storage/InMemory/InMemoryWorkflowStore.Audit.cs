using VirtFlow.Engine.Storage.Api;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IAuditStore
{
    private readonly List<AuditEntry> _audit = [];

    /// <inheritdoc />
    public Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var now = Now;
        lock (_gate)
        {
            var seq = _audit.Count + 1L;
            _audit.Add(entry with { Sequence = seq, At = entry.At == default ? now : StoreTime.Normalize(entry.At) });
            return Task.FromResult(seq);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>([.. _audit
                .Where(e => e.Sequence > query.After && (query.Since is not { } since || e.At >= since))
                .Take(query.Limit)]);
        }
    }
}
