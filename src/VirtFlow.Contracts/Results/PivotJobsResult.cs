namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="PivotJobs"/>: each job's device now uses its target.</summary>
/// <param name="Jobs">Each job, its device and the node it uses now.</param>
/// <param name="CompleteToPendingMs">From the first <c>job-complete</c> until all were pending.</param>
/// <param name="FinalizeMs">From the first <c>job-finalize</c> until all were concluded.</param>
/// <param name="TotalMs">The whole window, complete to concluded.</param>
public sealed record PivotJobsResult(IReadOnlyList<PivotedJob> Jobs, double CompleteToPendingMs, double FinalizeMs, double TotalMs);

/// <summary>One job of a pivot.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Device">The device that now uses the target (null when none was found).</param>
/// <param name="TargetNode">The target node.</param>
/// <param name="AlreadyPivoted">True when the job had been finalized before this command (a repeat).</param>
public sealed record PivotedJob(string JobId, string? Device, string TargetNode, bool AlreadyPivoted);
