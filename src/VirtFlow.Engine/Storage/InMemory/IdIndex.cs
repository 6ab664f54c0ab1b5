namespace VirtFlow.Engine.Storage.InMemory;

/// <summary>
/// An index of the in-memory store: key → the ids filed under it. A key with one id (a waiting instance's one
/// bookmark: the usual case) keeps the id itself; a set is made only for a second one.
/// </summary>
internal sealed class IdIndex
{
    private readonly Dictionary<string, object> _map = new(StringComparer.Ordinal);

    public void Add(string key, string id)
    {
        if (!_map.TryGetValue(key, out var held)) _map[key] = id;
        else if (held is HashSet<string> set) set.Add(id);
        else if (!string.Equals((string)held, id, StringComparison.Ordinal)) _map[key] = new HashSet<string>(StringComparer.Ordinal) { (string)held, id };
    }

    public void Remove(string key, string id)
    {
        if (!_map.TryGetValue(key, out var held)) return;
        if (held is HashSet<string> set)
        {
            if (set.Remove(id) && set.Count == 0) _map.Remove(key);
        }
        else if (string.Equals((string)held, id, StringComparison.Ordinal))
        {
            _map.Remove(key);
        }
    }

    public bool ContainsKey(string key) => _map.ContainsKey(key);

    /// <summary>The ids under <paramref name="key"/> (a copy when several: the caller may change the index meanwhile).</summary>
    public bool TryGetValue(string key, out IReadOnlyCollection<string> ids)
    {
        if (!_map.TryGetValue(key, out var held))
        {
            ids = [];
            return false;
        }
        ids = held is HashSet<string> set ? [.. set] : [(string)held];
        return true;
    }

    /// <summary>Every key with its ids.</summary>
    public IEnumerable<(string Key, IReadOnlyCollection<string> Ids)> Entries() =>
        _map.Select(kv => (kv.Key, kv.Value is HashSet<string> set ? (IReadOnlyCollection<string>)set : [(string)kv.Value]));
}
