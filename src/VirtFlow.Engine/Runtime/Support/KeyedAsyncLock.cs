namespace VirtFlow.Engine.Runtime.Support;

/// <summary>
/// One async mutex per key (an instance id), created on demand and dropped when nobody holds or waits
/// for it, so 10,000 idle instances cost nothing.
/// </summary>
internal sealed class KeyedAsyncLock
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Waits for the key's lock; dispose the result to release it.</summary>
    public async ValueTask<Releaser> AcquireAsync(string key, CancellationToken ct)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!))
                _entries[key] = entry = new Entry();
            entry.RefCount++;
        }
        try
        {
            await entry.Semaphore.WaitAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            Drop(key, entry);
            throw;
        }
        return new Releaser(this, key, entry);
    }

    /// <summary>True when someone holds or waits for the key (for tests and diagnostics).</summary>
    public bool IsHeld(string key)
    {
        lock (_entries) return _entries.ContainsKey(key);
    }

    private void Release(string key, Entry entry)
    {
        entry.Semaphore.Release();
        Drop(key, entry);
    }

    private void Drop(string key, Entry entry)
    {
        lock (_entries)
        {
            if (--entry.RefCount == 0)
            {
                _entries.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);
        public int RefCount { get; set; }
    }

    /// <summary>Releases the lock once.</summary>
    public struct Releaser(KeyedAsyncLock owner, string key, Entry entry) : IDisposable
    {
        private KeyedAsyncLock? _owner = owner;

        public void Dispose()
        {
            var o = _owner;
            _owner = null;
            o?.Release(key, entry);
        }
    }
}
