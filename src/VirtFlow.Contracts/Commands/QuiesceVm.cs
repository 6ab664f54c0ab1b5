namespace VirtFlow.Contracts;

/// <summary>
/// Quiesce the guest under a lease held by the worker (docs/rules.md#r5-quiesce-lease): if neither an
/// <see cref="UnquiesceVm"/> nor a <see cref="RenewQuiesceLease"/> arrives before it runs out, the worker
/// thaws or resumes on its own and publishes <see cref="QuiesceLeaseExpired"/>. A VM found paused stays paused.
/// Success carries a <see cref="QuiesceResult"/>.
/// </summary>
/// <remarks>Modes (<see cref="QuiesceModes"/>): <c>auto</c> (guest-agent fsfreeze if the agent answers within
/// <see cref="AgentTimeout"/>, else pause), <c>fsfreeze</c>, <c>pause</c>, <c>none</c>.</remarks>
public sealed record QuiesceVm : HostCommand
{
    public string Mode { get; init; } = QuiesceModes.Auto;

    /// <summary>The lease; null for the worker's default.</summary>
    public TimeSpan? Lease { get; init; }

    public TimeSpan AgentTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
