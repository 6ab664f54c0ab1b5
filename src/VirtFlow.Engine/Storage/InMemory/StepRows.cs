namespace VirtFlow.Engine.Storage.InMemory;

/// <summary>
/// An instance's <c>steps</c> entries in the in-memory store (path → the entry's JSON bytes), kept inside the instance's
/// record (a struct: no object of its own). One entry, a waiting instance's usual case, is kept in two fields; from the
/// second on, all are in a dictionary.
/// </summary>
internal struct StepRows
{
    private string? _onePath;
    private byte[]? _oneEntry;
    private Dictionary<string, byte[]>? _many;

    public void Set(string path, byte[] entry)
    {
        if (_many is not null)
        {
            _many[path] = entry;
        }
        else if (_onePath is null || string.Equals(_onePath, path, StringComparison.Ordinal))
        {
            (_onePath, _oneEntry) = (path, entry);
        }
        else
        {
            _many = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [_onePath] = _oneEntry!, [path] = entry };
            (_onePath, _oneEntry) = (null, null);
        }
    }

    public void Remove(string path)
    {
        if (_many is not null) _many.Remove(path);
        else if (string.Equals(_onePath, path, StringComparison.Ordinal)) (_onePath, _oneEntry) = (null, null);
    }

    /// <summary>Every entry, in the order kept (readers order entries by their own <c>seq</c>).</summary>
    public readonly IEnumerable<KeyValuePair<string, byte[]>> All() =>
        _many is not null ? _many
        : _onePath is not null ? [KeyValuePair.Create(_onePath, _oneEntry!)]
        : [];
}
