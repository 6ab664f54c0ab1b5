namespace VirtFlow.Contracts;

/// <summary>An event from a host worker. <see cref="EventId"/> is unique per event, so a duplicate is dropped.</summary>
public abstract record HostEvent
{
    public required string EventId { get; init; }
    public required string HostId { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>A block job changed status (QEMU's JOB_STATUS_CHANGE, with the detail of BLOCK_JOB_* events).</summary>
/// <remarks>Status is QEMU's: created, running, paused, ready, standby, waiting, pending, aborting, concluded, null.</remarks>
public sealed record JobStatusChanged : HostEvent
{
    public required string Vm { get; init; }
    public required string JobId { get; init; }
    public required string Status { get; init; }

    /// <summary>For concluded jobs: <c>completed</c>, <c>cancelled</c> or <c>failed</c>.</summary>
    public string? Outcome { get; init; }
    public string? Error { get; init; }
    public long Offset { get; init; }
    public long Length { get; init; }
}

/// <summary>Copy progress of a job (sent while it runs, throttled).</summary>
public sealed record JobProgress : HostEvent
{
    public required string Vm { get; init; }
    public required string JobId { get; init; }
    public long Offset { get; init; }
    public long Length { get; init; }
    public long Speed { get; init; }
}

/// <summary>The answer to a <see cref="HostCommand"/>; <see cref="HostEvent.EventId"/> is derived from the command id.</summary>
public sealed record CommandResult : HostEvent
{
    public required string CommandId { get; init; }
    public required string Vm { get; init; }
    public required bool Success { get; init; }

    /// <summary>QEMU's error class or a worker error code (e.g. <c>TargetExists</c>, <c>UnknownVm</c>, <c>OutsideStorageRoots</c>).</summary>
    public string? ErrorClass { get; init; }

    /// <summary>A message naming the VM and disk.</summary>
    public string? Error { get; init; }

    /// <summary>The command's result as JSON (per-disk detail, job list, QMP return).</summary>
    public string? ResultJson { get; init; }
}

/// <summary>The VM's QMP connection ended (QEMU quit or crashed).</summary>
public sealed record VmGone : HostEvent
{
    public required string Vm { get; init; }
    public string? Reason { get; init; }
}

/// <summary>What QEMU has right now: sent when a worker starts, reconnects, or is asked (rule 3).</summary>
public sealed record VmJobsSnapshot : HostEvent
{
    public required string Vm { get; init; }
    public required IReadOnlyList<JobSnapshot> Jobs { get; init; }
    public string? RunState { get; init; }
}

/// <summary>One job in a <see cref="VmJobsSnapshot"/>.</summary>
public sealed record JobSnapshot(string JobId, string Type, string Status, long Offset, long Length, string? Error);

/// <summary>A worker started (or stopped) serving a host.</summary>
public sealed record WorkerOnline : HostEvent
{
    public required IReadOnlyList<string> Vms { get; init; }
    public string? WorkerId { get; init; }
}

/// <summary>A worker is stopping.</summary>
public sealed record WorkerOffline : HostEvent
{
    public string? WorkerId { get; init; }
}
