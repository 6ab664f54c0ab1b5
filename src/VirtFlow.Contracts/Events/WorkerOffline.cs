namespace VirtFlow.Contracts;

/// <summary>A worker is stopping (its leases were released first).</summary>
public sealed record WorkerOffline : HostEvent
{
    public string? WorkerId { get; init; }
}
