namespace VirtFlow.Testing;

/// <summary>A small tmpfs mounted for one test (root only), so a write past its size fails with ENOSPC; unmounted on dispose.</summary>
public sealed class TinyFilesystem : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private TinyFilesystem(string path) => Path = path;

    public string Path { get; }

    public static TinyFilesystem Mount(string path, long bytes)
    {
        Directory.CreateDirectory(path);
        ServerCommands.RunChecked("mount", ["-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path], Limit);
        return new TinyFilesystem(path);
    }

    public void Dispose() => ServerCommands.Run("umount", ["-l", Path], Limit);
}
