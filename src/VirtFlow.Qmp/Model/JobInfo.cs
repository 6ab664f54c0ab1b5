namespace VirtFlow.Qmp;

/// <summary>One entry of <c>query-jobs</c>.</summary>
/// <param name="Id">The job id.</param>
/// <param name="Type">The job type, e.g. <c>mirror</c>.</param>
/// <param name="Status">See <see cref="JobStatus"/>.</param>
/// <param name="CurrentProgress">Progress so far (bytes for block jobs).</param>
/// <param name="TotalProgress">Estimated total; may grow while the guest writes.</param>
/// <param name="Error">Set on a concluded job that failed or was cancelled before READY.</param>
public sealed record JobInfo(string Id, string Type, string Status, long CurrentProgress, long TotalProgress, string? Error);
