namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="InspectVm"/>: the plan's facts, and every reason the run would fail.</summary>
/// <param name="QemuVersion">QEMU's version (<c>7.2.0</c>).</param>
/// <param name="RunState">QEMU's run state.</param>
/// <param name="Disks">Each disk: device, node, file, virtual size, format.</param>
/// <param name="Targets">Each asked-for target: where it would go and whether it can.</param>
/// <param name="GuestAgent">Whether the guest agent answered; null when not asked.</param>
/// <param name="Problems">One line each, naming the disk, target or VM; empty when the run can go.</param>
public sealed record InspectVmResult(
    string QemuVersion,
    string RunState,
    IReadOnlyList<InspectedDisk> Disks,
    IReadOnlyList<InspectedTarget> Targets,
    GuestAgentCheck? GuestAgent,
    IReadOnlyList<string> Problems)
{
    /// <summary>With <see cref="InspectVm.Under"/>: the disks whose image lies under that folder; null when not asked.</summary>
    public IReadOnlyList<DiskUnderFolder>? DisksUnder { get; init; }
}

/// <summary>One disk of the VM as QEMU has it now.</summary>
public sealed record InspectedDisk(string Device, string Node, string File, long VirtualSize, string Format, bool HasJob);

/// <summary>A target file a run would create.</summary>
/// <param name="Path">The path as asked.</param>
/// <param name="StorageRoot">The storage root it lies under, or null when it lies under none.</param>
/// <param name="Exists">Whether a file is there already.</param>
/// <param name="FreeBytes">Free space on the file system of its folder; null when the folder does not exist.</param>
public sealed record InspectedTarget(string Path, string? StorageRoot, bool Exists, long? FreeBytes);

/// <summary>The answer of one <c>guest-ping</c>.</summary>
public sealed record GuestAgentCheck(bool Answers, string? Error);
