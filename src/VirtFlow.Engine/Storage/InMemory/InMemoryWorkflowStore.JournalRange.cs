namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IJournalRangeReader
{
    /// <inheritdoc />
    public Task<IReadOnlyList<JournalEntry>> GetLatestProgressAsync(string instanceId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        lock (_gate)
        {
            if (!_instances.TryGetValue(instanceId, out var kept)) return Task.FromResult<IReadOnlyList<JournalEntry>>([]);
            IReadOnlyList<JournalEntry> latest = kept.Journal.After(0)
                .Where(e => PackedJournal.KindAt(e.Chunk, e.Offset, _kinds) == "Progress")
                .Select(e => PackedJournal.Decode(e.Chunk, e.Offset, instanceId, _kinds))
                .Where(j => j.StepPath is not null)
                .GroupBy(j => (j.StepPath, Device: j.Data?["device"]?.ToString()))
                .Select(g => g.MaxBy(j => j.Sequence)!)
                .OrderBy(j => j.Sequence)
                .ToList();
            return Task.FromResult(latest);
        }
    }
}
