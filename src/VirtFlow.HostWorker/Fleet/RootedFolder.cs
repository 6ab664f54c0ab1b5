using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>The check of a folder a host-level command changes: strictly inside a storage root (docs/rules.md#r10-no-trust).</summary>
internal static class RootedFolder
{
    /// <summary>
    /// <paramref name="folder"/> with its links resolved, when it is an absolute path without <c>.</c> or <c>..</c> parts that
    /// lies strictly inside one of <paramref name="roots"/> (never a root itself); a worker with no roots refuses every folder.
    /// </summary>
    public static string Check(StorageRoots roots, string vm, string command, string folder)
    {
        if (string.IsNullOrWhiteSpace(folder) || !Path.IsPathRooted(folder) || folder.Contains('\0', StringComparison.Ordinal))
            throw CommandChecks.BadRequest($"VM {vm}: {command}: folder '{folder}' is not an absolute path");
        if (folder.Split(Path.DirectorySeparatorChar).Any(part => part is "." or ".."))
            throw CommandChecks.BadRequest($"VM {vm}: {command}: folder '{folder}' has '.' or '..' parts");
        if (roots.AllowsAny)
            throw new HostCommandException(HostErrorClasses.OutsideStorageRoots,
                $"VM {vm}: {command}: this worker has no storage roots (--storage-root), so it changes no folder ({folder})");
        return roots.Inside(folder) ?? throw new HostCommandException(HostErrorClasses.OutsideStorageRoots,
            $"VM {vm}: {command}: folder {folder} is not inside the storage roots ({roots.Describe()})");
    }
}
