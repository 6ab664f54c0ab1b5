namespace VirtFlow.Engine.Storage;

/// <summary>
/// Reads the journal of all instances by sequence number, for live updates that resume where a client left off.
/// The sequence is monotonic per store (one PostgreSQL shared by several servers is one store), so a client may
/// resume on another server than the one it was connected to.
/// </summary>
public interface IJournalReader
{
    /// <summary>
    /// Journal entries with <see cref="JournalEntry.Sequence"/> greater than <paramref name="afterSequence"/>, in
    /// sequence order, at most <paramref name="limit"/>.
    /// <para>
    /// Without <paramref name="instanceId"/> the page is <em>settled</em>: no entry with a smaller sequence than the
    /// last one returned can appear later. (On PostgreSQL concurrent commits take their numbers before they commit, so
    /// a number can become visible after a larger one; the page then ends before a gap until every transaction that
    /// could still fill it has ended.) With <paramref name="instanceId"/> only that instance's entries are returned,
    /// unchecked: read it only up to a sequence an unfiltered read has returned.
    /// </para>
    /// </summary>
    Task<IReadOnlyList<JournalEntry>> GetJournalAfterAsync(long afterSequence, string? instanceId, int limit, CancellationToken ct = default);

    /// <summary>The largest journal sequence now visible (0 for an empty journal): where a live reader starts.</summary>
    Task<long> GetJournalHeadAsync(CancellationToken ct = default);
}
