namespace VirtFlow.Engine.Storage.InMemory;

/// <summary>
/// An index of the in-memory store: key → the ids filed under it. A key with one id (a waiting instance's one
/// bookmark: the usual case) keeps the id itself; a set is made only for a second one (see <see cref="IdSet"/>).
/// </summary>
internal sealed class IdIndex
{
    private readonly Dictionary<string, object> _map = new(StringComparer.Ordinal);

    public void Add(string key, string id)
    {
        _map.TryGetValue(key, out object? held);
        IdSet.Add(ref held, id);
        _map[key] = held!;
    }

    public void Remove(string key, string id)
    {
        if (!_map.TryGetValue(key, out object? held)) return;
        IdSet.Remove(ref held, id);
        if (held is null) _map.Remove(key);
        else _map[key] = held;
    }

    public bool ContainsKey(string key) => _map.ContainsKey(key);

    /// <summary>The ids under <paramref name="key"/> (a copy when several: the caller may change the index meanwhile).</summary>
    public bool TryGetValue(string key, out IReadOnlyCollection<string> ids)
    {
        _map.TryGetValue(key, out object? held);
        ids = IdSet.Copy(held);
        return held is not null;
    }

    /// <summary>Every key with its ids.</summary>
    public IEnumerable<(string Key, IReadOnlyCollection<string> Ids)> Entries() =>
        _map.Select(kv => (kv.Key, IdSet.View(kv.Value)));
}

/// <summary>A set of ids kept in one field: null (none), the id itself (one) or a <see cref="HashSet{T}"/> (several).</summary>
internal static class IdSet
{
    public static void Add(ref object? held, string id)
    {
        if (held is null) held = id;
        else if (held is HashSet<string> set) set.Add(id);
        else if (!string.Equals((string)held, id, StringComparison.Ordinal)) held = new HashSet<string>(StringComparer.Ordinal) { (string)held, id };
    }

    public static void Remove(ref object? held, string id)
    {
        if (held is HashSet<string> set)
        {
            if (set.Remove(id) && set.Count == 0) held = null;
        }
        else if (held is string one && string.Equals(one, id, StringComparison.Ordinal))
        {
            held = null;
        }
    }

    /// <summary>The ids, copied when several (the caller may change the set meanwhile).</summary>
    public static IReadOnlyCollection<string> Copy(object? held) => held switch
    {
        HashSet<string> set => [.. set],
        string one => [one],
        _ => [],
    };

    /// <summary>The ids, not copied.</summary>
    public static IReadOnlyCollection<string> View(object? held) => held switch
    {
        HashSet<string> set => set,
        string one => [one],
        _ => [],
    };
}
