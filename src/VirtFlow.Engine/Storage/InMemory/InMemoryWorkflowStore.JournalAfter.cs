namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IJournalReader
{
    /// <inheritdoc />
    public Task<IReadOnlyList<JournalEntry>> GetJournalAfterAsync(long afterSequence, string? instanceId, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        lock (_gate)
        {
            IEnumerable<(string Id, StoredEntry Entry)> entries = instanceId is null
                ? _journal.SelectMany(kv => kv.Value.SkipWhile(j => j.Sequence <= afterSequence).Select(j => (kv.Key, j)))
                : _journal.TryGetValue(instanceId, out var list) ? list.SkipWhile(j => j.Sequence <= afterSequence).Select(j => (instanceId, j)) : [];
            IReadOnlyList<JournalEntry> page = entries.OrderBy(e => e.Entry.Sequence).Take(limit)
                .Select(e => e.Entry.Unpack(e.Id)).ToList();
            return Task.FromResult(page);
        }
    }

    /// <inheritdoc />
    public Task<long> GetJournalHeadAsync(CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(_journalSeq);
    }
}
