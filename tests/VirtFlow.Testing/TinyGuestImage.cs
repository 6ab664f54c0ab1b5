using System.Runtime.CompilerServices;

namespace VirtFlow.Testing;

/// <summary>
/// The tiny guest's cached files, built by <c>scripts/build-tiny-guest.sh</c> into <c>$VIRTFLOW_GUEST_DIR</c>
/// (default <c>.cache/tiny-guest</c> under the repository root). The script returns at once when its cache is
/// current, so it runs once per test process and rebuilds only when the script, qemu-ga or the kernel changed.
/// </summary>
public static class TinyGuestImage
{
    private static readonly Lazy<Task> Built = new(BuildAsync);

    /// <summary>
    /// The repository root: <see cref="TestDirs.RepoRoot"/>, or, when the tests were built with an artifacts path
    /// outside the repository (<c>--artifacts-path /tmp/...</c>), the folder holding VirtFlow.sln above this source file.
    /// </summary>
    // Declared before Dir: static initializers run in order.
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The cache folder.</summary>
    public static string Dir { get; } = Environment.GetEnvironmentVariable("VIRTFLOW_GUEST_DIR") is { Length: > 0 } d
        ? d
        : Path.Combine(RepoRoot, ".cache", "tiny-guest");

    /// <summary>The guest's kernel.</summary>
    public static string Kernel => Path.Combine(Dir, "vmlinuz");

    /// <summary>The guest's initramfs (busybox, modules, qemu-ga, init).</summary>
    public static string Initrd => Path.Combine(Dir, "initrd.gz");

    /// <summary>The base ext4 data disk; every guest boots a copy of it.</summary>
    public static string BaseDisk => Path.Combine(Dir, "disk.qcow2");

    /// <summary>Runs the build script (once per process); throws with its output when it fails.</summary>
    public static Task EnsureBuiltAsync() => Built.Value;

    private static async Task BuildAsync()
    {
        var script = Path.Combine(RepoRoot, "scripts", "build-tiny-guest.sh");
        // The script reads the same $VIRTFLOW_GUEST_DIR (inherited) with the same default as Dir.
        var result = await ExternalTool.RunAsync("bash", [script], TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"building the tiny guest failed ({script} exited with {result.ExitCode}):\n{result.Output}");
    }

    private static string FindRepoRoot([CallerFilePath] string sourceFile = "")
    {
        try
        {
            return TestDirs.RepoRoot;
        }
        catch (InvalidOperationException)
        {
        }
        for (var dir = Path.GetDirectoryName(sourceFile); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "VirtFlow.sln"))) return dir;
        throw new InvalidOperationException($"VirtFlow.sln not found above {AppContext.BaseDirectory} nor above {sourceFile}");
    }
}
