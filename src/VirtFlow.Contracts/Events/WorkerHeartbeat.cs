namespace VirtFlow.Contracts;

/// <summary>
/// A worker is alive: sent every heartbeat interval (30 s by default) with its version and its VMs, so the control
/// plane knows each host's worker and when it was last seen, also after a server restart.
/// </summary>
public sealed record WorkerHeartbeat : HostEvent
{
    public string? WorkerId { get; init; }

    /// <summary>The worker's version (its assembly's informational version).</summary>
    public string? Version { get; init; }

    /// <summary>Its VMs, with whether their QMP monitor is connected now.</summary>
    public required IReadOnlyList<WorkerVm> Vms { get; init; }
}

/// <summary>A VM a worker serves.</summary>
/// <param name="Name">The VM's name.</param>
/// <param name="Connected">Whether the worker holds its QMP monitor now.</param>
public sealed record WorkerVm(string Name, bool Connected);
