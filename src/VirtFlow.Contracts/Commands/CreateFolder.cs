namespace VirtFlow.Contracts;

/// <summary>
/// Creates a folder (and its missing parents) on the host, e.g. the folder of tonight's copies. The folder must lie
/// strictly inside one of the worker's storage roots (links resolved, no <c>.</c> or <c>..</c>); a worker with no storage
/// roots refuses. An existing folder is a success. A host-level command: <see cref="HostCommand.Vm"/> only names the VM in
/// logs and errors. Success carries <c>{ "path": resolved, "created": bool }</c>.
/// </summary>
public sealed record CreateFolder : HostCommand
{
    /// <summary>The folder to create.</summary>
    public required string Path { get; init; }
}
