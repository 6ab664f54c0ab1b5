namespace VirtFlow.Contracts;

/// <summary>
/// Worker error codes of <see cref="CommandResult.ErrorClass"/>. QEMU's own classes (<c>GenericError</c>,
/// <c>DeviceNotFound</c>, ...) and the QMP client's transport classes (<c>Disconnected</c>, <c>Timeout</c>) pass through as they are.
/// </summary>
public static class HostErrorClasses
{
    /// <summary>The command is malformed (empty list, duplicate job id, bad job id, unknown copy mode or quiesce mode).</summary>
    public const string BadRequest = "BadRequest";
    /// <summary>The command names another host.</summary>
    public const string WrongHost = "WrongHost";
    /// <summary>The worker does not serve this VM.</summary>
    public const string UnknownVm = "UnknownVm";
    /// <summary>The VM's QMP socket does not answer (QEMU not running, or it restarts).</summary>
    public const string VmUnavailable = "VmUnavailable";
    /// <summary>No such disk: neither a device id nor a block node name.</summary>
    public const string DiskNotFound = "DiskNotFound";
    /// <summary>A mirror target lies outside the worker's storage roots.</summary>
    public const string OutsideStorageRoots = "OutsideStorageRoots";
    /// <summary>A mirror target exists and is not empty, and <c>Reuse</c> was not set.</summary>
    public const string TargetExists = "TargetExists";
    /// <summary><c>Reuse</c> was set but the target does not exist.</summary>
    public const string TargetMissing = "TargetMissing";
    /// <summary>A target format other than qcow2 or raw.</summary>
    public const string BadFormat = "BadFormat";
    /// <summary><c>qemu-img create</c> failed.</summary>
    public const string ImageCreateFailed = "ImageCreateFailed";
    /// <summary>A job with this id exists with another target, or a node with the target's name holds another file.</summary>
    public const string JobConflict = "JobConflict";
    /// <summary>No such job.</summary>
    public const string JobNotFound = "JobNotFound";
    /// <summary>A job is not in a state the command needs (not ready for a pivot, not concluded for a dismiss).</summary>
    public const string JobNotReady = "JobNotReady";
    /// <summary>A job failed (or was cancelled) during the command.</summary>
    public const string JobFailed = "JobFailed";
    /// <summary>The jobs did not reach the awaited state in time.</summary>
    public const string Timeout = "Timeout";
    /// <summary>After finalize, a device does not use its target.</summary>
    public const string PivotIncomplete = "PivotIncomplete";
    /// <summary>fsfreeze asked but no guest agent is configured or it does not answer.</summary>
    public const string AgentUnavailable = "AgentUnavailable";
    /// <summary>The guest-agent socket is not served by the VM's QEMU (it could be an agent on the host itself): never frozen.</summary>
    public const string AgentNotInGuest = "AgentNotInGuest";
    /// <summary>Freezing the guest's filesystems failed (the worker thawed).</summary>
    public const string FreezeFailed = "FreezeFailed";
    /// <summary>The VM is already quiesced under another lease.</summary>
    public const string AlreadyQuiesced = "AlreadyQuiesced";
    /// <summary>The lease is not held (anymore): it ran out and the guest was released.</summary>
    public const string LeaseNotFound = "LeaseNotFound";
    /// <summary>
    /// The command's reply window had passed when the worker took it (<see cref="HostCommand.IssuedAt"/> +
    /// <see cref="HostCommand.ReplyWithin"/>): its step has given up, so the worker does not run it (docs/rules.md R11).
    /// </summary>
    public const string Expired = "Expired";
    /// <summary>The worker is stopping.</summary>
    public const string WorkerStopping = "WorkerStopping";
    /// <summary>The worker's policy refuses the command: a QMP command not allowed on this host, or arguments naming a host path outside its storage roots.</summary>
    public const string NotAllowed = "NotAllowed";
}
