namespace VirtFlow.HostWorker.Policy;

/// <summary>
/// QMP commands that reach past the VM into the host (run a program, write or open a host file, export a disk on the
/// network, hand over file descriptors) or bypass the policy. Allowed only when named exactly in
/// <see cref="HostWorkerOptions.AllowQmp"/> (never by <c>*</c>), and each logs a warning when the worker starts.
/// </summary>
internal static class DangerousQmp
{
    private static readonly Dictionary<string, string> Exact = new(StringComparer.Ordinal)
    {
        ["human-monitor-command"] = "it runs any HMP command, which this policy does not see",
        ["screendump"] = "it writes an image file on the host",
        ["memsave"] = "it writes guest memory to a host file",
        ["pmemsave"] = "it writes guest memory to a host file",
        ["blockdev-add"] = "it opens host files (any image path) and network disks",
        ["blockdev-create"] = "it creates and formats host files",
        ["blockdev-reopen"] = "it reopens nodes with new files",
        ["x-blockdev-reopen"] = "it reopens nodes with new files",
        ["blockdev-mirror"] = "it copies a disk to another node, possibly a host file",
        ["blockdev-backup"] = "it copies a disk to another node, possibly a host file",
        ["drive-mirror"] = "it creates or overwrites a host file with the disk's content",
        ["drive-backup"] = "it creates or overwrites a host file with the disk's content",
        ["blockdev-snapshot-sync"] = "it creates a host file as the disk's new overlay",
        ["blockdev-snapshot"] = "it puts another node over the disk",
        ["blockdev-change-medium"] = "it opens a host file as the disk's medium",
        ["change-backing-file"] = "it writes a host path into an image's header",
        ["block-commit"] = "it rewrites backing files (names host paths)",
        ["block-stream"] = "it rewrites backing files (names host paths)",
        ["transaction"] = "it runs block actions (drive-backup, snapshots) that name host files",
        ["block-export-add"] = "it exports a disk (NBD, FUSE on a host path, vhost-user)",
        ["nbd-server-start"] = "it opens a network listener that can export disks",
        ["nbd-server-add"] = "it exports a disk on the network",
        ["add-fd"] = "it hands a host file descriptor to QEMU",
        ["getfd"] = "it hands a host file descriptor to QEMU",
        ["get-win32-socket"] = "it hands a host socket to QEMU",
        ["object-add"] = "it creates objects that read host files (secrets, TLS credentials, memory backends)",
        ["chardev-add"] = "it opens host files, sockets or terminals",
        ["chardev-change"] = "it opens host files, sockets or terminals",
        ["device_add"] = "it plugs host devices (vfio, host USB) into the VM",
        ["netdev_add"] = "it opens host network devices and can run ifup scripts",
        ["xen-save-devices-state"] = "it writes a host file",
        ["xen-load-devices-state"] = "it reads a host file",
        ["dump-skeys"] = "it writes a host file",
        ["qom-set"] = "it changes device and object properties, some of which name host files",
        ["x-exit-preconfig"] = "it changes how the VM starts",
        ["quit"] = "it stops QEMU, and the VM with it",
    };

    /// <summary>Families matched by prefix: every <c>migrate*</c> and <c>dump-*</c> command.</summary>
    private static readonly (string Prefix, string Why)[] Prefixes =
    [
        ("migrate", "it can run a shell command on the host (exec: URIs) or write the VM's memory to a host file"),
        ("dump-", "it writes the guest's memory to a host file"),
        ("x-debug-", "it is an unstable debugging command"),
    ];

    /// <summary>Why <paramref name="command"/> is dangerous, or null when it is not.</summary>
    public static string? Why(string command)
    {
        if (Exact.TryGetValue(command, out var why)) return why;
        foreach (var (prefix, reason) in Prefixes)
            if (command.StartsWith(prefix, StringComparison.Ordinal)) return reason;
        return null;
    }
}
