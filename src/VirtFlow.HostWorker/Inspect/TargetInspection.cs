using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// A target a run would create, looked at without touching it: its storage root, whether something is there already, the
/// free space of its folder's file system (statvfs) and, when the size of the disk copied into it is known, whether it fits.
/// </summary>
internal static class TargetInspection
{
    /// <param name="roots">The storage roots a target must lie in.</param>
    /// <param name="vm">The VM the target is for (named in problems).</param>
    /// <param name="target">The target file's path.</param>
    /// <param name="device">The device copied into it, when known.</param>
    /// <param name="needed">The bytes the copy writes (the source's allocation, else its virtual size), when known.</param>
    /// <param name="problems">Where what would stop the run is added, one line each.</param>
    public static InspectedTarget Inspect(StorageRoots roots, string vm, string target, string? device, long? needed, List<string> problems)
    {
        var what = device is null ? $"target {target}" : $"disk {device}: target {target}";
        if (string.IsNullOrWhiteSpace(target) || !Path.IsPathRooted(target))
        {
            problems.Add($"VM {vm}: {what} is not an absolute path");
            return new InspectedTarget(target, null, false, null);
        }
        var resolved = roots.Inside(target);
        var root = roots.RootOf(target);
        if (resolved is null)
        {
            problems.Add($"VM {vm}: {what} is outside the storage roots ({roots.Describe()})");
            resolved = Resolve(target);
        }
        var exists = File.Exists(resolved) || Directory.Exists(resolved);
        if (Directory.Exists(resolved)) problems.Add($"VM {vm}: {what} is a directory");
        else if (exists && new FileInfo(resolved).Length > 0)
            problems.Add($"VM {vm}: {what} exists already and is not empty; a run never overwrites it");
        var folder = Path.GetDirectoryName(resolved);
        long? free = null;
        if (folder is null || !Directory.Exists(folder))
        {
            problems.Add($"VM {vm}: {what}: its folder {folder} does not exist");
        }
        else
        {
            try
            {
                free = new DriveInfo(folder).AvailableFreeSpace;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                problems.Add($"VM {vm}: {what}: the free space of {folder} cannot be read: {e.Message}");
            }
        }
        if (free is { } available && needed is { } bytes && bytes > available)
            problems.Add($"VM {vm}: {what} needs {Bytes(bytes)} but its file system has {Bytes(available)} free");
        return new InspectedTarget(target, root, exists, free);
    }

    private static string Resolve(string path)
    {
        try
        {
            return RealPath.Resolve(path);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return path;
        }
    }

    private static string Bytes(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.##} GiB" : $"{bytes / (double)(1L << 20):0.##} MiB";
}
