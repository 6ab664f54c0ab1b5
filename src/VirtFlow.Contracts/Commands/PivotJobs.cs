namespace VirtFlow.Contracts;

/// <summary>
/// The all-or-nothing pivot, run by the worker in one batch: complete every job, wait until all are
/// pending (or any fails), then finalize all; if any fails before pending, cancel all and the VM stays
/// on its sources. Jobs found already pending or already pivoted (after a restart) are taken as they are.
/// Success carries a <see cref="PivotJobsResult"/> (with the timings of the window).
/// </summary>
/// <remarks>
/// With <see cref="Quiesce"/> the worker also holds the guest still for the switch only, the way <see cref="QuiesceVm"/>
/// does (a lease as the backstop, a VM found paused stays paused, auto falls back to pause): it reads everything it needs
/// first, then quiesces, completes, finalizes, and releases the guest at once, before any check or answer.
/// </remarks>
public sealed record PivotJobs : HostCommand
{
    public required IReadOnlyList<string> JobIds { get; init; }

    /// <summary>From the first <c>job-complete</c> until every job is pending.</summary>
    public TimeSpan PendingTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>From the first <c>job-finalize</c> until every job is concluded.</summary>
    public TimeSpan FinalizeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How to hold the guest still for the switch (<see cref="QuiesceModes"/>: auto, fsfreeze, pause, none); null: not
    /// at all (the caller quiesced it, or nobody cares). none holds nothing but reports the run state.
    /// </summary>
    public string? Quiesce { get; init; }

    /// <summary>The quiesce's lease (the backstop if the worker dies mid-way); null for the worker's default.</summary>
    public TimeSpan? Lease { get; init; }

    /// <summary>How long the guest agent may take to answer (auto falls back to pause after it).</summary>
    public TimeSpan AgentTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Once every job switched (and the guest is released): also do what <see cref="DismissJobs"/> does, dismiss the jobs and
    /// remove the old source nodes no device uses, before answering (<see cref="PivotJobsResult.Dismissed"/>). Saves the
    /// caller a second round trip; a failed dismiss never fails the pivot (<see cref="PivotJobsResult.DismissError"/>).
    /// </summary>
    public bool Dismiss { get; init; }

    /// <summary>With <see cref="Dismiss"/>: extra nodes to remove when unused (the old sources, for a worker restarted since the mirror).</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];
}
