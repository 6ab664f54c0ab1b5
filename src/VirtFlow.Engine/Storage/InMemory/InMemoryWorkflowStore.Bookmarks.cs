namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    private readonly Dictionary<string, Bookmark> _bookmarks = new(StringComparer.Ordinal);
    private readonly IdIndex _bookmarksByKey = new();
    private readonly SortedSet<(DateTimeOffset DueAt, string Id)> _timers = new(TimerOrder.Instance);

    /// <inheritdoc />
    public Task<IReadOnlyList<Bookmark>> GetBookmarksAsync(string instanceId, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_instances.TryGetValue(instanceId, out var kept) ? Bookmarks(IdSet.View(kept.Bookmarks)) : []);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Bookmark>> FindBookmarksByKeyAsync(string key, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_bookmarksByKey.TryGetValue(key, out var ids) ? Bookmarks(ids) : []);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Bookmark>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct = default)
    {
        var at = StoreTime.Normalize(now);
        lock (_gate)
        {
            IReadOnlyList<Bookmark> result = _timers
                .TakeWhile(t => t.DueAt <= at)
                .Take(limit)
                .Select(t => CopyOut(_bookmarks[t.Id]))
                .ToList();
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetNextTimerDueAsync(CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_timers.Count == 0 ? (DateTimeOffset?)null : _timers.Min.DueAt);
    }

    private IReadOnlyList<Bookmark> Bookmarks(IReadOnlyCollection<string> ids) =>
        ids.Select(id => _bookmarks[id])
            .OrderBy(b => b.CreatedAt).ThenBy(b => b.Id, StringComparer.Ordinal)
            .Select(CopyOut)
            .ToList();

    /// <summary>Adds a bookmark of <paramref name="kept"/>, or replaces the one with the same id (under the lock).</summary>
    private void PutBookmark(Bookmark given, Kept kept, DateTimeOffset now)
    {
        RemoveBookmark(given.Id);
        var b = given with
        {
            DueAt = StoreTime.Normalize(given.DueAt),
            CreatedAt = given.CreatedAt == default ? now : StoreTime.Normalize(given.CreatedAt),
            Data = StoreJson.Clone(given.Data),
        };
        _bookmarks[b.Id] = b;
        IdSet.Add(ref kept.Bookmarks, b.Id);
        if (b.Key is not null) _bookmarksByKey.Add(b.Key, b.Id);
        if (b.DueAt is { } due) _timers.Add((due, b.Id));
    }

    private void RemoveBookmarksOf(Kept kept)
    {
        foreach (var id in IdSet.Copy(kept.Bookmarks)) RemoveBookmark(id);
    }

    private void RemoveBookmark(string id)
    {
        if (!_bookmarks.Remove(id, out var b)) return;
        if (_instances.TryGetValue(b.InstanceId, out var kept)) IdSet.Remove(ref kept.Bookmarks, id);
        if (b.Key is not null) _bookmarksByKey.Remove(b.Key, id);
        if (b.DueAt is { } due) _timers.Remove((due, id));
    }

    private static Bookmark CopyOut(Bookmark b) => b with { Data = StoreJson.Clone(b.Data) };
}
