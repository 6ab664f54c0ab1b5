namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="MirrorDisks"/>.</summary>
public sealed record MirrorDisksResult(IReadOnlyList<MirroredDisk> Disks);

/// <summary>One mirror started (or found already started).</summary>
/// <param name="Device">The disk as the command named it.</param>
/// <param name="SourceNode">The node the device used when the mirror started (null when a restarted worker found the job already switched).</param>
/// <param name="TargetNode">The target's node (derived from the job id).</param>
/// <param name="JobId">The QEMU job id.</param>
/// <param name="Target">The target image path.</param>
/// <param name="Format">The target's format.</param>
/// <param name="Created">True when this worker created the image file.</param>
/// <param name="Existing">True when the job already existed (a repeated command): nothing was started.</param>
/// <param name="Status">The job's status after the command.</param>
public sealed record MirroredDisk(string Device, string? SourceNode, string TargetNode, string JobId, string Target, string Format, bool Created, bool Existing, string Status);
