namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IJournalReader
{
    /// <inheritdoc />
    public Task<IReadOnlyList<JournalEntry>> GetJournalAfterAsync(long afterSequence, string? instanceId, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        lock (_gate)
        {
            IEnumerable<(string Id, (long Sequence, byte[] Chunk, int Offset) At)> entries = instanceId is null
                ? _instances.SelectMany(kv => kv.Value.Journal.After(afterSequence).Select(at => (kv.Key, at)))
                : _instances.TryGetValue(instanceId, out var kept) ? kept.Journal.After(afterSequence).Select(at => (instanceId, at)) : [];
            IReadOnlyList<JournalEntry> page = entries.OrderBy(e => e.At.Sequence).Take(limit)
                .Select(e => PackedJournal.Decode(e.At.Chunk, e.At.Offset, e.Id, _kinds)).ToList();
            return Task.FromResult(page);
        }
    }

    /// <inheritdoc />
    public Task<long> GetJournalHeadAsync(CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(_journalSeq);
    }
}
