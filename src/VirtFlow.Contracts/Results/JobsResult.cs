namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="CompleteJobs"/>, <see cref="FinalizeJobs"/> and <see cref="CancelJobs"/>: each job as the command left it.</summary>
public sealed record JobsResult(IReadOnlyList<JobState> Jobs);

/// <summary>One job's state.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Status">QEMU's status, or <c>null</c> when the job no longer exists (dismissed).</param>
/// <param name="Outcome">For concluded jobs, see <see cref="JobOutcomes"/>.</param>
/// <param name="Error">QEMU's error of a concluded job.</param>
/// <param name="Acted">False when the job was already past the point the command drives it to (nothing done).</param>
public sealed record JobState(string JobId, string Status, string? Outcome, string? Error, bool Acted);
