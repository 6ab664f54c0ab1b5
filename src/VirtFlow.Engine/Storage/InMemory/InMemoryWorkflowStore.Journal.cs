namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    private readonly Dictionary<string, List<JournalEntry>> _journal = new(StringComparer.Ordinal);
    private long _journalSeq;

    /// <inheritdoc />
    public Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<JournalEntry> result = _journal.TryGetValue(instanceId, out var list)
                ? list.Select(j => j with { Data = StoreJson.Clone(j.Data) }).ToList()
                : [];
            return Task.FromResult(result);
        }
    }

    /// <summary>Appends an entry with the next sequence number (under the lock).</summary>
    private void AddJournal(JournalEntry given, DateTimeOffset now)
    {
        var j = given with
        {
            Sequence = ++_journalSeq,
            At = given.At == default ? now : StoreTime.Normalize(given.At),
            Data = StoreJson.Clone(given.Data),
        };
        if (!_journal.TryGetValue(j.InstanceId, out var list)) _journal[j.InstanceId] = list = [];
        list.Add(j);
    }
}
