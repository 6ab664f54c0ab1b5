namespace VirtFlow.Contracts;

/// <summary>
/// Undo a quiesce: thaw or resume, back to the run state found before. Idempotent: a lease already released
/// (or run out) is a success that says so. Success carries an <see cref="UnquiesceResult"/>.
/// </summary>
public sealed record UnquiesceVm : HostCommand
{
    /// <summary>The lease to release; null for whichever lease the VM holds.</summary>
    public string? LeaseId { get; init; }
}
