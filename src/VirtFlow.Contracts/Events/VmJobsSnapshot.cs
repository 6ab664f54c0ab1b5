namespace VirtFlow.Contracts;

/// <summary>
/// What QEMU has right now: sent after every (re)connect of the worker to the VM (docs/rules.md#r3-reconcile), followed by a
/// <see cref="JobStatusChanged"/> per job, so an engine waiting for an event learns what it missed.
/// </summary>
public sealed record VmJobsSnapshot : HostEvent
{
    public required string Vm { get; init; }
    public required IReadOnlyList<JobSnapshot> Jobs { get; init; }
    public string? RunState { get; init; }

    /// <summary>Each block device and the node it uses now.</summary>
    public IReadOnlyList<BlockDeviceSnapshot> Devices { get; init; } = [];
}

/// <summary>One job in a <see cref="VmJobsSnapshot"/> or <see cref="QueryVmResult"/>.</summary>
/// <param name="JobId">QEMU's job id.</param>
/// <param name="Type">The job type (<c>mirror</c>, <c>backup</c>, ...).</param>
/// <param name="Status">The job's status as QEMU reports it (<c>running</c>, <c>ready</c>, <c>concluded</c>, ...).</param>
/// <param name="Offset">Bytes done.</param>
/// <param name="Length">Bytes in all (may grow while the guest writes).</param>
/// <param name="Error">QEMU's error text for a job that failed, else null.</param>
/// <param name="Outcome">For concluded jobs, see <see cref="JobOutcomes"/>.</param>
public sealed record JobSnapshot(string JobId, string Type, string Status, long Offset, long Length, string? Error, string? Outcome = null);

/// <summary>A block device and the node it uses (from <c>query-block</c>).</summary>
/// <param name="Device">The device id (<c>vda</c>) or the legacy drive name.</param>
/// <param name="NodeName">The node it uses now, null when empty.</param>
/// <param name="File">The image file of that node.</param>
public sealed record BlockDeviceSnapshot(string Device, string? NodeName, string? File);
