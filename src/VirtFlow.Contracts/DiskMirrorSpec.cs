namespace VirtFlow.Contracts;

/// <summary>One disk to mirror: which disk, where to, in what format, as which QEMU job.</summary>
/// <param name="Device">The disk as a user knows it: a device id (<c>vda</c>) or a block node name.</param>
/// <param name="TargetPath">The target image's path on the host.</param>
/// <param name="Format"><c>qcow2</c> or <c>raw</c>.</param>
/// <param name="JobId">The QEMU job id to use (deterministic, so a repeated command finds its job).</param>
/// <param name="Reuse">True to use an existing target image as is; false creates it with the source's virtual size (a non-empty existing file is never overwritten).</param>
/// <param name="Speed">Bytes per second limit, 0 for none.</param>
/// <param name="CopyMode"><c>background</c> (default) or <c>write-blocking</c>.</param>
public sealed record DiskMirrorSpec(
    string Device,
    string TargetPath,
    string Format,
    string JobId,
    bool Reuse = false,
    long Speed = 0,
    string CopyMode = "background");
