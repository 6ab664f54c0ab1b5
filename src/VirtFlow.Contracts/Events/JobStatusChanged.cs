namespace VirtFlow.Contracts;

/// <summary>
/// A block job changed status (QEMU's JOB_STATUS_CHANGE, with the detail of BLOCK_JOB_* events and <c>query-jobs</c>).
/// Also sent for every job found after a (re)connect. <see cref="HostEvent.EventId"/> is
/// <c>{host}/{vm}/job/{jobId}/{status}</c>: job ids must not be reused for another job on the same VM.
/// </summary>
/// <remarks>Status is QEMU's: created, running, paused, ready, standby, waiting, pending, aborting, concluded, null (dismissed).</remarks>
public sealed record JobStatusChanged : HostEvent
{
    public required string Vm { get; init; }
    public required string JobId { get; init; }
    public required string Status { get; init; }

    /// <summary>QEMU's job type (<c>mirror</c>, ...), when known.</summary>
    public string? JobType { get; init; }

    /// <summary>For concluded jobs: <see cref="JobOutcomes.Completed"/> (a mirror switched to its target), <see cref="JobOutcomes.Cancelled"/> or <see cref="JobOutcomes.Failed"/>.</summary>
    public string? Outcome { get; init; }
    public string? Error { get; init; }
    public long Offset { get; init; }
    public long Length { get; init; }
}
