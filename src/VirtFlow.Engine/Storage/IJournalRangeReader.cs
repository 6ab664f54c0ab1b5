namespace VirtFlow.Engine.Storage;

/// <summary>
/// The parts of one instance's journal that the API reads without the whole journal: a page after a sequence
/// (<see cref="IJournalReader.GetJournalAfterAsync"/> with the instance) and the last progress report of each step per disk.
/// Implemented by the SQLite, PostgreSQL and in-memory stores.
/// </summary>
public interface IJournalRangeReader
{
    /// <summary>
    /// The instance's last <c>Progress</c> line of each step and disk (its <c>data.device</c>), in sequence order; the
    /// store picks them (an index on instance, kind and sequence), so only those lines leave it.
    /// </summary>
    Task<IReadOnlyList<JournalEntry>> GetLatestProgressAsync(string instanceId, CancellationToken ct = default);
}
