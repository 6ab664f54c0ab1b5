namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IJournalReader
{
    /// <inheritdoc />
    public Task<IReadOnlyList<JournalEntry>> GetJournalAfterAsync(long afterSequence, string? instanceId, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        lock (_gate)
        {
            IEnumerable<JournalEntry> entries = instanceId is null
                ? _journal.Values.SelectMany(list => list.SkipWhile(j => j.Sequence <= afterSequence))
                : _journal.TryGetValue(instanceId, out var list) ? list.SkipWhile(j => j.Sequence <= afterSequence) : [];
            IReadOnlyList<JournalEntry> page = entries.OrderBy(j => j.Sequence).Take(limit)
                .Select(j => j with { Data = StoreJson.Clone(j.Data) }).ToList();
            return Task.FromResult(page);
        }
    }

    /// <inheritdoc />
    public Task<long> GetJournalHeadAsync(CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(_journalSeq);
    }
}
