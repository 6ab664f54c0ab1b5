namespace VirtFlow.Contracts;

/// <summary>A worker started serving a host.</summary>
public sealed record WorkerOnline : HostEvent
{
    public required IReadOnlyList<string> Vms { get; init; }
    public string? WorkerId { get; init; }

    /// <summary>The worker's version (its assembly's informational version).</summary>
    public string? Version { get; init; }
}
