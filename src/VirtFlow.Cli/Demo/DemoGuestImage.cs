namespace VirtFlow.Cli.Demo;

/// <summary>
/// Where the tiny real guest's files are (built by <c>scripts/build-tiny-guest.sh</c>, docs tiny-guest.md): the
/// folder given with <c>--guest DIR</c>, else <c>$VIRTFLOW_GUEST_DIR</c>, else <c>.cache/tiny-guest</c> in the
/// repository above the current directory or above virtflow.dll.
/// </summary>
/// <param name="Dir">The folder holding the files.</param>
internal sealed record DemoGuestImage(string Dir)
{
    /// <summary>The files a boot needs.</summary>
    public static readonly string[] Files = ["vmlinuz", "initrd.gz", "disk.qcow2"];

    /// <summary>The guest's kernel.</summary>
    public string Kernel => Path.Combine(Dir, "vmlinuz");

    /// <summary>The guest's initramfs (busybox, virtio and ext4 modules, qemu-ga, its init).</summary>
    public string Initrd => Path.Combine(Dir, "initrd.gz");

    /// <summary>The base ext4 data disk; the demo boots a copy of it.</summary>
    public string BaseDisk => Path.Combine(Dir, "disk.qcow2");

    /// <summary>Finds the guest, or says where it looked and how to build it.</summary>
    public static bool TryFind(string? option, out DemoGuestImage image, out string error)
    {
        var env = Environment.GetEnvironmentVariable("VIRTFLOW_GUEST_DIR");
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(option)) candidates.Add(Path.GetFullPath(option));
        else if (!string.IsNullOrEmpty(env)) candidates.Add(Path.GetFullPath(env));
        else
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "build.sh")) && Directory.Exists(Path.Combine(dir.FullName, "scripts")))
                    {
                        candidates.Add(Path.Combine(dir.FullName, ".cache", "tiny-guest"));
                        break;
                    }
        }
        foreach (var dir in candidates.Distinct())
        {
            if (Files.All(f => File.Exists(Path.Combine(dir, f))))
            {
                image = new DemoGuestImage(dir);
                error = "";
                return true;
            }
        }
        image = new DemoGuestImage("");
        var where = candidates.Count == 0
            ? "no --guest DIR, no $VIRTFLOW_GUEST_DIR, and no repository (.cache/tiny-guest) above the current directory"
            : $"{string.Join(", ", candidates.Distinct())} does not hold {string.Join(", ", Files)}";
        error = $"the tiny guest was not found ({where}). Run ./build.sh demo from the repository: it builds the guest "
            + "(scripts/build-tiny-guest.sh, cached in .cache/tiny-guest) and passes it to the demo; or give --guest DIR.";
        return false;
    }
}
