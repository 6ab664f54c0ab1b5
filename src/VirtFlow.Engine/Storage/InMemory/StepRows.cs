namespace VirtFlow.Engine.Storage.InMemory;

/// <summary>
/// An instance's <c>steps</c> entries in the in-memory store (path → the entry's JSON bytes). A few entries (a waiting
/// instance has one or two) are kept in a small array searched in order; from <see cref="Few"/> on, in a dictionary.
/// </summary>
internal sealed class StepRows
{
    private const int Few = 8;
    private KeyValuePair<string, byte[]>[]? _few;
    private int _count;
    private Dictionary<string, byte[]>? _many;

    public void Set(string path, byte[] entry)
    {
        if (_many is not null)
        {
            _many[path] = entry;
            return;
        }
        var at = IndexOf(path);
        if (at >= 0)
        {
            _few![at] = KeyValuePair.Create(path, entry);
            return;
        }
        if (_count == Few)
        {
            _many = new Dictionary<string, byte[]>(2 * Few, StringComparer.Ordinal);
            for (var i = 0; i < _count; i++) _many[_few![i].Key] = _few[i].Value;
            _many[path] = entry;
            _few = null;
            _count = 0;
            return;
        }
        if (_few is null || _count == _few.Length) Array.Resize(ref _few, _few is null ? 2 : Math.Min(Few, _few.Length * 2));
        _few[_count++] = KeyValuePair.Create(path, entry);
    }

    public void Remove(string path)
    {
        if (_many is not null)
        {
            _many.Remove(path);
            return;
        }
        var at = IndexOf(path);
        if (at < 0) return;
        Array.Copy(_few!, at + 1, _few!, at, _count - at - 1);
        _few![--_count] = default;
    }

    /// <summary>Every entry, in the order kept (readers order entries by their own <c>seq</c>).</summary>
    public IEnumerable<KeyValuePair<string, byte[]>> All() =>
        _many is not null ? _many : (_few ?? []).Take(_count);

    private int IndexOf(string path)
    {
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(_few![i].Key, path, StringComparison.Ordinal)) return i;
        }
        return -1;
    }
}
