namespace VirtFlow.Contracts;

/// <summary>
/// Deletes the oldest dated copies in <see cref="Directory"/>, keeping the newest <see cref="Keep"/>. A copy is a
/// subdirectory whose name is a sortable UTC stamp (<c>2026-12-07T020000Z</c>, see <see cref="CopyNames"/>); anything else
/// in the directory is left alone. The directory must lie strictly inside one of the worker's storage roots (links
/// resolved, no <c>..</c>); a worker with no storage roots refuses. Success carries a <see cref="PruneCopiesResult"/>.
/// A host-level command: <see cref="HostCommand.Vm"/> only names the VM in logs and errors.
/// </summary>
public sealed record PruneCopies : HostCommand
{
    /// <summary>The folder holding one VM's copies (<c>{backupRoot}/{vm}</c>).</summary>
    public required string Directory { get; init; }

    /// <summary>How many of the newest copies stay (at least 1).</summary>
    public int Keep { get; init; } = 1;
}
