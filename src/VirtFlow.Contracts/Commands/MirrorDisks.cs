namespace VirtFlow.Contracts;

/// <summary>
/// Start a mirror job per disk (<c>sync:full</c>, <c>auto-finalize:false</c>, <c>auto-dismiss:false</c>).
/// All or nothing: if one disk cannot start, the jobs started are cancelled, the nodes added removed and the
/// image files created deleted; the failure names the disk. Idempotent per job id: a job that already exists
/// with the same target counts as started. Success carries a <see cref="MirrorDisksResult"/>.
/// </summary>
public sealed record MirrorDisks : HostCommand
{
    public required IReadOnlyList<DiskMirrorSpec> Disks { get; init; }
}
