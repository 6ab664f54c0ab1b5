namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="PivotJobs"/>: each job's device now uses its target.</summary>
/// <param name="Jobs">Each job, its device and the node it uses now.</param>
/// <param name="CompleteToPendingMs">From the first <c>job-complete</c> until all were pending.</param>
/// <param name="FinalizeMs">From the first <c>job-finalize</c> until all were concluded.</param>
/// <param name="TotalMs">The whole window, complete to concluded (when the job-completes went right behind a pause's stop: from the stop's answer).</param>
/// <param name="Quiesce">How the guest was held for the switch, when <see cref="PivotJobs.Quiesce"/> asked for it.</param>
/// <param name="Dismissed">With <see cref="PivotJobs.Dismiss"/>: what the dismiss after the switch did (null when it was not asked for, or failed).</param>
/// <param name="DismissError">With <see cref="PivotJobs.Dismiss"/>: why the dismiss failed (the disks switched all the same).</param>
public sealed record PivotJobsResult(IReadOnlyList<PivotedJob> Jobs, double CompleteToPendingMs, double FinalizeMs, double TotalMs,
    PivotQuiesce? Quiesce = null, DismissJobsResult? Dismissed = null, string? DismissError = null);

/// <summary>One job of a pivot.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Device">The device that now uses the target (null when none was found).</param>
/// <param name="TargetNode">The target node.</param>
/// <param name="AlreadyPivoted">True when the job had been finalized before this command (a repeat).</param>
public sealed record PivotedJob(string JobId, string? Device, string TargetNode, bool AlreadyPivoted);

/// <summary>The quiesce a <see cref="PivotJobs"/> held around its switch.</summary>
/// <param name="Method">What was done: fsfreeze, pause or none.</param>
/// <param name="LeaseId">The lease it was held under (null for none).</param>
/// <param name="WasPaused">The VM was paused before: it was neither stopped nor resumed.</param>
/// <param name="FrozenFilesystems">Filesystems the guest agent froze.</param>
/// <param name="ThawedFilesystems">Filesystems the guest agent thawed.</param>
/// <param name="Resumed">True when the worker resumed the VM (cont) after the switch.</param>
/// <param name="Released">True when the guest was released; false when the release failed (the worker keeps retrying) or the lease had run out.</param>
/// <param name="QuiescedAt">When the guest was held (the stop or freeze answered; host clock).</param>
/// <param name="ReleasedAt">When it was released (the cont or thaw answered; host clock).</param>
/// <param name="QuiescedMs">From <paramref name="QuiescedAt"/> to <paramref name="ReleasedAt"/>, measured on the host's monotonic clock.</param>
/// <param name="ReleaseError">Why the release failed, if it did.</param>
public sealed record PivotQuiesce(string Method, string? LeaseId, bool WasPaused, int FrozenFilesystems, int ThawedFilesystems, bool Resumed,
    bool Released, DateTimeOffset QuiescedAt, DateTimeOffset ReleasedAt, double QuiescedMs, string? ReleaseError = null);
