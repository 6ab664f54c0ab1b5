namespace VirtFlow.Qmp;

/// <summary>The arguments of <c>blockdev-mirror</c>. Null members are left out (QEMU's defaults apply).</summary>
/// <param name="JobId">The job id (also the <c>device</c> of <c>BLOCK_JOB_*</c> events).</param>
/// <param name="Device">The source node name (or device).</param>
/// <param name="Target">The target node name, added beforehand with <c>blockdev-add</c>.</param>
public sealed record MirrorRequest(string JobId, string Device, string Target)
{
    /// <summary><c>full</c> (default), <c>top</c> or <c>none</c>.</summary>
    public string Sync { get; init; } = "full";

    /// <summary>Bytes per second; null or 0 for unlimited.</summary>
    public long? Speed { get; init; }

    /// <summary><c>background</c> (default) or <c>write-blocking</c> (active mirror, converges under heavy writes).</summary>
    public string? CopyMode { get; init; }

    /// <summary>False to stop at PENDING until <c>job-finalize</c>.</summary>
    public bool? AutoFinalize { get; init; }

    /// <summary>False to keep the concluded job in <c>query-jobs</c> until <c>job-dismiss</c>.</summary>
    public bool? AutoDismiss { get; init; }

    /// <summary>Dirty-bitmap granularity in bytes (power of 2, 512 B to 64 MiB).</summary>
    public long? Granularity { get; init; }

    /// <summary>Maximum bytes in flight.</summary>
    public long? BufSize { get; init; }
}
