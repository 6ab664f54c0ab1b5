namespace VirtFlow.Contracts;

/// <summary>The VM's QMP connection ended (QEMU quit or crashed); the worker keeps trying to reconnect.</summary>
public sealed record VmGone : HostEvent
{
    public required string Vm { get; init; }
    public string? Reason { get; init; }
}
