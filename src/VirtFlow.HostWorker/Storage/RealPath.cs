namespace VirtFlow.HostWorker;

/// <summary>Resolves symbolic links in the existing part of a path (like <c>realpath -m</c>), so a link under a storage root cannot lead out of it.</summary>
internal static class RealPath
{
    private const int MaxLinks = 40;

    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var parts = new Queue<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var current = root;
        var links = 0;
        while (parts.Count > 0)
        {
            var next = Path.Combine(current, parts.Dequeue());
            FileSystemInfo info = new FileInfo(next);
            if (!info.Exists) info = new DirectoryInfo(next);
            if (info.Exists && info.LinkTarget is { } target)
            {
                if (++links > MaxLinks) throw new IOException($"too many symbolic links in {path}");
                var resolved = Path.GetFullPath(target, current);
                var rest = parts.ToArray();
                parts = new Queue<string>(resolved[(Path.GetPathRoot(resolved) ?? "/").Length..]
                    .Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                current = Path.GetPathRoot(resolved) ?? "/";
                continue;
            }
            current = next;
        }
        return current;
    }

    /// <summary>True when the file a block node holds (<paramref name="nodeFile"/>) is <paramref name="target"/> (resolved).</summary>
    public static bool IsSame(string? nodeFile, string target)
    {
        if (string.IsNullOrEmpty(nodeFile)) return false;
        try
        {
            return Resolve(nodeFile) == target;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return nodeFile == target;
        }
    }
}
