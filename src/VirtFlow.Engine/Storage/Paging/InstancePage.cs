namespace VirtFlow.Engine.Storage.Paging;

/// <summary>One page of <see cref="IInstanceListStore.ListInstancePageAsync"/>: its items and, when more may follow, where the next page starts.</summary>
public sealed record InstancePage(IReadOnlyList<InstanceSummary> Items, InstanceCursor? Next)
{
    /// <summary>The page of <paramref name="rows"/> read with one extra row (limit + 1): the extra row means another page follows.</summary>
    internal static InstancePage From(List<InstanceSummary> rows, int limit)
    {
        if (rows.Count <= limit) return new InstancePage(rows, null);
        rows.RemoveRange(limit, rows.Count - limit);
        var last = rows[^1];
        return new InstancePage(rows, new InstanceCursor(last.CreatedAt, last.Id));
    }
}
