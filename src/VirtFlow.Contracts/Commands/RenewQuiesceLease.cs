namespace VirtFlow.Contracts;

/// <summary>
/// Extend a quiesce lease to now + <see cref="Lease"/>. Fails with <see cref="HostErrorClasses.LeaseNotFound"/>
/// when the lease is no longer held (it ran out: the guest was already thawed or resumed).
/// Success carries a <see cref="QuiesceResult"/>.
/// </summary>
public sealed record RenewQuiesceLease : HostCommand
{
    public required string LeaseId { get; init; }

    /// <summary>The new lease from now; null for the worker's default.</summary>
    public TimeSpan? Lease { get; init; }
}
