namespace VirtFlow.Contracts;

/// <summary>
/// Preflight: report what a run on this VM would meet, changing nothing. Success carries an <see cref="InspectVmResult"/>.
/// The worker answers from QEMU (query-version, query-block), its file system (each target's folder, free space under its
/// storage root, whether the file exists) and, when <see cref="CheckGuestAgent"/>, one <c>guest-ping</c>.
/// </summary>
public sealed record InspectVm : HostCommand
{
    /// <summary>The target files a run would create (as the workflow names them), checked against the storage roots.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>The devices a run would copy (<c>vda</c>, ...); empty: every disk. Each one missing is a problem.</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>Whether to ask the guest agent (<c>quiesce: auto|fsfreeze</c>).</summary>
    public bool CheckGuestAgent { get; init; }

    /// <summary>
    /// A folder on the host (absolute): the result's <see cref="InspectVmResult.DisksUnder"/> lists the disks whose image lies
    /// under it (links resolved), with their path relative to it. Null: not asked.
    /// </summary>
    public string? Under { get; init; }
}
