namespace VirtFlow.Contracts;

/// <summary>
/// A quiesce lease ran out with no <see cref="UnquiesceVm"/> nor <see cref="RenewQuiesceLease"/>: the worker
/// thawed the guest or resumed the VM by itself (docs/rules.md#r5-quiesce-lease). <see cref="HostEvent.EventId"/> is <c>{host}/{vm}/lease/{leaseId}/expired</c>.
/// </summary>
public sealed record QuiesceLeaseExpired : HostEvent
{
    public required string Vm { get; init; }
    public required string LeaseId { get; init; }

    /// <summary>How the guest had been quiesced (<see cref="QuiesceModes"/>: fsfreeze, pause or none).</summary>
    public required string Method { get; init; }

    /// <summary>True when the release worked (thawed, resumed, or nothing to undo).</summary>
    public required bool Released { get; init; }

    /// <summary>Filesystems thawed (fsfreeze).</summary>
    public int ThawedFilesystems { get; init; }

    /// <summary>The guest's freeze status read after the thaw (<c>thawed</c>/<c>frozen</c>), when known.</summary>
    public string? FreezeStatus { get; init; }

    /// <summary>True when the worker resumed the VM (pause of a VM that was running).</summary>
    public bool Resumed { get; init; }
    public string? Error { get; init; }
}
