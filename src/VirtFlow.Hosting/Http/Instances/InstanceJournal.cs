using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>
/// One instance's journal as the API reads it: by range from the store (<c>seq &gt; cursor LIMIT n</c>) and the last
/// progress report per step and disk, never the whole journal in memory.
/// </summary>
internal static class InstanceJournal
{
    /// <summary>At most <paramref name="limit"/> lines of the instance after <paramref name="after"/>, in order.</summary>
    public static Task<IReadOnlyList<JournalEntry>> PageAsync(IWorkflowStore store, string instanceId, long after, int limit, CancellationToken ct) =>
        Reader<IJournalReader>(store).GetJournalAfterAsync(after, instanceId, limit, ct);

    /// <summary>The instance's last <c>Progress</c> line of each step and disk.</summary>
    public static Task<IReadOnlyList<JournalEntry>> LatestProgressAsync(IWorkflowStore store, string instanceId, CancellationToken ct) =>
        Reader<IJournalRangeReader>(store).GetLatestProgressAsync(instanceId, ct);

    private static T Reader<T>(IWorkflowStore store) where T : class =>
        store as T ?? throw new InvalidOperationException($"the store {store.GetType().Name} cannot read an instance's journal by range ({typeof(T).Name})");
}
