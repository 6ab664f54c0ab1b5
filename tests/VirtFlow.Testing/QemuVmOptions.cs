namespace VirtFlow.Testing;

/// <summary>How <see cref="QemuVm.StartAsync"/> builds the VM.</summary>
public sealed record QemuVmOptions
{
    /// <summary>How many virtio-blk disks (ids vda, vdb, ...; nodes src-vda, ...). Default 1.</summary>
    public int Disks { get; init; } = 1;

    /// <summary>
    /// Disk i's image lies in the subfolder <c>DiskFolders[i]</c> of the VM's folder (created); beyond the list, or empty:
    /// the VM's folder itself. Default none.
    /// </summary>
    public IReadOnlyList<string> DiskFolders { get; init; } = [];

    /// <summary>Virtual size of each disk. Default 64 MiB.</summary>
    public long DiskSize { get; init; } = 64L << 20;

    /// <summary><c>qcow2</c> (default) or <c>raw</c>.</summary>
    public string Format { get; init; } = "qcow2";

    /// <summary>Bytes written at offset 0 of each disk before QEMU starts, so a mirror has data to copy. Default 0.</summary>
    public long PrefillBytes { get; init; }

    /// <summary>Start with the vCPUs running (no <c>-S</c>). Default false.</summary>
    public bool StartRunning { get; init; }

    /// <summary>Also open a QMP monitor on TCP 127.0.0.1 (a free port): see <see cref="QemuVm.TcpMonitorEndpoint"/>.</summary>
    public bool TcpMonitor { get; init; }

    /// <summary>Extra QEMU arguments, appended last.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Time allowed for QEMU to start and open its monitors. Default 60 s (TCG on a loaded host is slow).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The fill byte of disk <paramref name="index"/> (distinct per disk, so a mix-up shows): 0x11, 0x22, ...</summary>
    public static byte PrefillPattern(int index) => (byte)(0x11 * (index % 15 + 1));
}
