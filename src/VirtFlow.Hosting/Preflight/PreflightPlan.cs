namespace VirtFlow.Hosting.Preflight;

/// <summary>
/// What a run of a workflow with these inputs would meet, found without changing anything (<see cref="VmPreflight"/>):
/// each disk and its target, the guest agent, QEMU, and every reason the run would fail (<see cref="Problems"/>, one
/// line each). <see cref="CanRun"/> when there is none.
/// </summary>
public sealed record PreflightPlan
{
    public required string Workflow { get; init; }
    public int Version { get; init; }
    public string? Host { get; init; }
    public string? Vm { get; init; }

    /// <summary>The quiesce mode the run would use (<c>auto</c>, <c>fsfreeze</c>, <c>pause</c>, <c>none</c>).</summary>
    public string? Quiesce { get; init; }

    /// <summary>The workflow's lock key for these inputs, and the instance holding it now (null: free).</summary>
    public string? LockKey { get; init; }
    public string? LockHolder { get; init; }

    public string? QemuVersion { get; init; }
    public string? RunState { get; init; }

    /// <summary>Whether the guest agent answered a ping; null when not asked (quiesce pause or none).</summary>
    public bool? GuestAgentAnswers { get; init; }

    public IReadOnlyList<PlannedDisk> Disks { get; init; } = [];

    /// <summary>Every reason the run would fail, one line each naming the input, disk, target, VM or instance.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public bool CanRun => Problems.Count == 0;
}

/// <summary>One disk the run would copy: what QEMU has now, and where it would go.</summary>
public sealed record PlannedDisk
{
    public required string Device { get; init; }
    public string? CurrentFile { get; init; }
    public long? VirtualSize { get; init; }
    public string? Format { get; init; }
    public required string Target { get; init; }
    public string? TargetFormat { get; init; }
    public string? StorageRoot { get; init; }
    public bool? TargetExists { get; init; }
    public long? FreeBytes { get; init; }
}
