namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IJournalRangeReader
{
    /// <inheritdoc />
    public Task<IReadOnlyList<JournalEntry>> GetLatestProgressAsync(string instanceId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        lock (_gate)
        {
            if (!_journal.TryGetValue(instanceId, out var list)) return Task.FromResult<IReadOnlyList<JournalEntry>>([]);
            IReadOnlyList<JournalEntry> latest = list
                .Where(j => j.Kind == "Progress" && j.StepPath is not null)
                .Select(j => j.Unpack(instanceId))
                .GroupBy(j => (j.StepPath, Device: j.Data?["device"]?.ToString()))
                .Select(g => g.MaxBy(j => j.Sequence)!)
                .OrderBy(j => j.Sequence)
                .ToList();
            return Task.FromResult(latest);
        }
    }
}
