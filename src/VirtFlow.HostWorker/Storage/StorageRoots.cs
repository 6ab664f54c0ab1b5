using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>The folders mirror targets may be written to (none: anywhere). Paths are compared after resolving links.</summary>
internal sealed class StorageRoots
{
    private readonly string[] _roots;

    public StorageRoots(IEnumerable<string> roots) =>
        _roots = [.. roots.Select(r => Path.TrimEndingDirectorySeparator(RealPath.Resolve(r)))];

    public bool AllowsAny => _roots.Length == 0;

    /// <summary>The target's full path with links resolved, or throws <see cref="HostErrorClasses.OutsideStorageRoots"/>.</summary>
    public string Check(string vm, string device, string target)
    {
        if (string.IsNullOrWhiteSpace(target) || !Path.IsPathRooted(target))
            throw new HostCommandException(HostErrorClasses.BadRequest, $"VM {vm}: disk {device}: target '{target}' is not an absolute path");
        var resolved = RealPath.Resolve(target);
        if (AllowsAny) return resolved;
        foreach (var root in _roots)
            if (resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return resolved;
        throw new HostCommandException(HostErrorClasses.OutsideStorageRoots,
            $"VM {vm}: disk {device}: target {target} is outside the storage roots ({string.Join(", ", _roots)})");
    }
}
