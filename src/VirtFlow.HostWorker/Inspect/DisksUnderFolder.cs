using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// Which disks of a VM lie under a folder (<see cref="InspectVm.Under"/>): both paths with links resolved, compared as whole
/// path segments (<c>/old/root</c> holds <c>/old/root/a.qcow2</c>, not <c>/old/rootx/a.qcow2</c>). Reads only paths, opens nothing.
/// </summary>
internal static class DisksUnderFolder
{
    public static IReadOnlyList<DiskUnderFolder> Find(string vm, string under, IEnumerable<InspectedDisk> disks)
    {
        if (string.IsNullOrWhiteSpace(under) || !Path.IsPathRooted(under))
            throw new HostCommandException(HostErrorClasses.BadRequest, $"VM {vm}: the folder '{under}' is not an absolute path");
        var root = Path.TrimEndingDirectorySeparator(Resolve(under) ?? Path.GetFullPath(under));
        var found = new List<DiskUnderFolder>();
        foreach (var disk in disks)
        {
            if (string.IsNullOrEmpty(disk.File) || !Path.IsPathRooted(disk.File) || Resolve(disk.File) is not { } file) continue;
            if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            found.Add(new DiskUnderFolder(disk.Device, file, file[(root.Length + 1)..], disk.Format, disk.VirtualSize));
        }
        return found;
    }

    private static string? Resolve(string path)
    {
        try
        {
            return RealPath.Resolve(path);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
