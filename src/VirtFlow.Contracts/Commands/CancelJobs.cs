namespace VirtFlow.Contracts;

/// <summary>
/// Cancel jobs, keeping the VM on its sources, and wait until each is concluded (<see cref="Timeout"/>).
/// A READY mirror cancelled without <see cref="Force"/> leaves its target a point-in-time copy (it stops at
/// pending and the worker finalizes it); before READY the target is worthless. A job already concluded or
/// gone is reported as found. Success carries a <see cref="JobsResult"/>.
/// </summary>
public sealed record CancelJobs : HostCommand
{
    public required IReadOnlyList<string> JobIds { get; init; }
    public bool Force { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
