namespace VirtFlow.Contracts;

/// <summary>Start a mirror job per disk (<c>auto-finalize:false</c>, <c>auto-dismiss:false</c>). All or nothing: if one cannot start, those started are cancelled.</summary>
public sealed record MirrorDisks : HostCommand
{
    public required IReadOnlyList<DiskMirrorSpec> Disks { get; init; }
}

/// <summary><c>job-complete</c> for each job (ready → pending).</summary>
public sealed record CompleteJobs : HostCommand
{
    public required IReadOnlyList<string> JobIds { get; init; }
}

/// <summary><c>job-finalize</c> for each job (pending → concluded: the switch).</summary>
public sealed record FinalizeJobs : HostCommand
{
    public required IReadOnlyList<string> JobIds { get; init; }
}

/// <summary>
/// The all-or-nothing pivot, run by the worker in one batch: complete every job, wait until all are
/// pending (or any fails), then finalize all; if any fails before pending, cancel all and the VM stays
/// on its sources.
/// </summary>
public sealed record PivotJobs : HostCommand
{
    public required IReadOnlyList<string> JobIds { get; init; }
    public TimeSpan PendingTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>Cancel jobs, keeping the VM on its sources; READY mirrors leave a point-in-time copy (finalized through pending).</summary>
public sealed record CancelJobs : HostCommand
{
    public required IReadOnlyList<string> JobIds { get; init; }
    public bool Force { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary><c>job-dismiss</c> concluded jobs (after their outcome is stored) and remove block nodes the VM no longer uses.</summary>
public sealed record DismissJobs : HostCommand
{
    public required IReadOnlyList<string> JobIds { get; init; }
}

/// <summary>Quiesce the guest under a lease held by the worker (architecture rule 5).</summary>
/// <remarks>Modes: <c>auto</c> (guest-agent fsfreeze, else pause), <c>fsfreeze</c>, <c>pause</c>, <c>none</c>.</remarks>
public sealed record QuiesceVm : HostCommand
{
    public string Mode { get; init; } = "auto";
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan AgentTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Undo a quiesce: thaw or resume, back to the run state found before. Idempotent.</summary>
public sealed record UnquiesceVm : HostCommand
{
    public string? LeaseId { get; init; }
}

/// <summary>Extend a quiesce lease.</summary>
public sealed record RenewQuiesceLease : HostCommand
{
    public required string LeaseId { get; init; }
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>QMP <c>stop</c> (pause the VM's CPUs).</summary>
public sealed record PauseVm : HostCommand;

/// <summary>QMP <c>cont</c>.</summary>
public sealed record ResumeVm : HostCommand;

/// <summary>Report what QEMU has: jobs, block devices, run state.</summary>
public sealed record QueryVm : HostCommand;

/// <summary>Any QMP command, for scripting. <see cref="ArgumentsJson"/> is a JSON object or null.</summary>
public sealed record RawQmp : HostCommand
{
    public required string Command { get; init; }
    public string? ArgumentsJson { get; init; }
}
