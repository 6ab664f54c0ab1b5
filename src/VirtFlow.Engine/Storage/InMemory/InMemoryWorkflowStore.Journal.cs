namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    /// <summary>The journal kinds seen, numbered: an entry keeps its kind's number (see <see cref="PackedJournal"/>).</summary>
    private readonly JournalKinds _kinds = new();

    private long _journalSeq;

    /// <inheritdoc />
    public Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<JournalEntry> result = _instances.TryGetValue(instanceId, out var kept)
                ? kept.Journal.After(0).Select(e => PackedJournal.Decode(e.Chunk, e.Offset, instanceId, _kinds)).ToList()
                : [];
            return Task.FromResult(result);
        }
    }

    /// <summary>Appends a commit's entries with the next sequence numbers (under the lock; nothing here can fail).</summary>
    private void AddJournal(Kept kept, IReadOnlyList<PackedJournal.EntryBody> entries, DateTimeOffset now)
    {
        if (entries.Count == 0) return;
        var numbered = entries
            .Select(body => (body, ++_journalSeq, (body.Entry.At == default ? now : StoreTime.Normalize(body.Entry.At)).UtcTicks))
            .ToList();
        kept.Journal.Append(numbered, _kinds);
    }
}
