namespace VirtFlow.Contracts;

/// <summary>
/// The all-or-nothing pivot, run by the worker in one batch: complete every job, wait until all are
/// pending (or any fails), then finalize all; if any fails before pending, cancel all and the VM stays
/// on its sources. Jobs found already pending or already pivoted (after a restart) are taken as they are.
/// Success carries a <see cref="PivotJobsResult"/> (with the timings of the window).
/// </summary>
public sealed record PivotJobs : HostCommand
{
    public required IReadOnlyList<string> JobIds { get; init; }

    /// <summary>From the first <c>job-complete</c> until every job is pending.</summary>
    public TimeSpan PendingTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>From the first <c>job-finalize</c> until every job is concluded.</summary>
    public TimeSpan FinalizeTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
