using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// The folders every host path the worker writes or hands to QEMU must lie under (none: anywhere, embedded mode only).
/// Paths are compared after resolving links.
/// </summary>
internal sealed class StorageRoots
{
    private readonly string[] _roots;

    public StorageRoots(IEnumerable<string> roots) =>
        _roots = [.. roots.Select(r => Path.TrimEndingDirectorySeparator(RealPath.Resolve(r)))];

    public bool AllowsAny => _roots.Length == 0;

    /// <summary>The roots, for messages.</summary>
    public string Describe() => string.Join(", ", _roots);

    /// <summary>The target's full path with links resolved, or throws <see cref="HostErrorClasses.OutsideStorageRoots"/>.</summary>
    public string Check(string vm, string device, string target)
    {
        if (string.IsNullOrWhiteSpace(target) || !Path.IsPathRooted(target))
            throw new HostCommandException(HostErrorClasses.BadRequest, $"VM {vm}: disk {device}: target '{target}' is not an absolute path");
        return Inside(target) ?? throw new HostCommandException(HostErrorClasses.OutsideStorageRoots,
            $"VM {vm}: disk {device}: target {target} is outside the storage roots ({Describe()})");
    }

    /// <summary>The absolute <paramref name="path"/> with links resolved when it lies under a root (or any root is allowed), else null.</summary>
    public string? Inside(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathRooted(path)) return null;
        string resolved;
        try
        {
            resolved = RealPath.Resolve(path);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
        if (AllowsAny) return resolved;
        foreach (var root in _roots)
            if (resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return resolved;
        return null;
    }

    /// <summary>The root <paramref name="path"/> lies under (its links resolved), or null (also when any root is allowed: there are none).</summary>
    public string? RootOf(string path)
    {
        if (AllowsAny || Inside(path) is not { } resolved) return null;
        return _roots.FirstOrDefault(root => resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }
}
