using Microsoft.Extensions.Logging;

namespace VirtFlow.HostWorker;

/// <summary>The host worker's log messages; event ids 2000-2999 (docs/design.md, "Log event ids").</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, EventName = "WorkerStarted", Level = LogLevel.Information, Message = "Host worker {WorkerId} serving host {HostId}: {Vms}")]
    public static partial void WorkerStarted(ILogger logger, string workerId, string hostId, string vms);

    [LoggerMessage(EventId = 2001, EventName = "WorkerStopped", Level = LogLevel.Information, Message = "Host worker {WorkerId} of host {HostId} stopped")]
    public static partial void WorkerStopped(ILogger logger, string workerId, string hostId);

    [LoggerMessage(EventId = 2003, EventName = "QmpAllowed", Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void QmpAllowed(ILogger logger, string warning);

    [LoggerMessage(EventId = 2002, EventName = "PublishFailed", Level = LogLevel.Warning, Message = "Could not publish {EventType} {EventId}")]
    public static partial void PublishFailed(ILogger logger, string eventType, string eventId, Exception exception);

    [LoggerMessage(EventId = 2010, EventName = "VmConnected", Level = LogLevel.Information, Message = "VM {Vm}: QMP connected on {Socket}, QEMU {Version}")]
    public static partial void VmConnected(ILogger logger, string vm, string socket, string version);

    [LoggerMessage(EventId = 2011, EventName = "ConnectFailed", Level = LogLevel.Warning, Message = "VM {Vm}: cannot connect to QMP {Socket}: {Reason}; retrying with backoff")]
    public static partial void ConnectFailed(ILogger logger, string vm, string socket, string reason);

    [LoggerMessage(EventId = 2012, EventName = "VmGone", Level = LogLevel.Warning, Message = "VM {Vm}: QMP connection lost: {Reason}")]
    public static partial void VmGone(ILogger logger, string vm, string reason);

    [LoggerMessage(EventId = 2013, EventName = "EventsLost", Level = LogLevel.Warning, Message = "VM {Vm}: job events were lost; reporting a fresh snapshot")]
    public static partial void EventsLost(ILogger logger, string vm);

    [LoggerMessage(EventId = 2014, EventName = "ForwardingFailed", Level = LogLevel.Error, Message = "VM {Vm}: forwarding job events failed")]
    public static partial void ForwardingFailed(ILogger logger, string vm, Exception exception);

    [LoggerMessage(EventId = 2015, EventName = "Snapshot", Level = LogLevel.Information, Message = "VM {Vm}: snapshot of {Jobs} job(s), run state {RunState}")]
    public static partial void Snapshot(ILogger logger, string vm, int jobs, string runState);

    [LoggerMessage(EventId = 2016, EventName = "JobStatus", Level = LogLevel.Debug, Message = "VM {Vm}: job {JobId} is {Status} (outcome {Outcome})")]
    public static partial void JobStatus(ILogger logger, string vm, string jobId, string status, string? outcome);

    [LoggerMessage(EventId = 2020, EventName = "CommandReceived", Level = LogLevel.Debug, Message = "{CommandType} {CommandId} for VM {Vm} received")]
    public static partial void CommandReceived(ILogger logger, string commandType, string commandId, string vm);

    [LoggerMessage(EventId = 2021, EventName = "CommandRepeated", Level = LogLevel.Information, Message = "{CommandType} {CommandId} for VM {Vm} seen before: answering with its first result")]
    public static partial void CommandRepeated(ILogger logger, string commandType, string commandId, string vm);

    [LoggerMessage(EventId = 2022, EventName = "CommandSucceeded", Level = LogLevel.Information, Message = "{CommandType} {CommandId} for VM {Vm} succeeded in {ElapsedMs:0.#} ms")]
    public static partial void CommandSucceeded(ILogger logger, string commandType, string commandId, string vm, double elapsedMs);

    [LoggerMessage(EventId = 2023, EventName = "CommandFailed", Level = LogLevel.Warning, Message = "{CommandType} {CommandId} for VM {Vm} failed: {ErrorClass}: {Error}")]
    public static partial void CommandFailed(ILogger logger, string commandType, string commandId, string vm, string errorClass, string error);

    [LoggerMessage(EventId = 2024, EventName = "CommandCrashed", Level = LogLevel.Error, Message = "{CommandType} {CommandId} for VM {Vm} crashed")]
    public static partial void CommandCrashed(ILogger logger, string commandType, string commandId, string vm, Exception exception);

    [LoggerMessage(EventId = 2025, EventName = "CommandRequeued", Level = LogLevel.Warning, Message = "{CommandType} {CommandId} for VM {Vm} interrupted: the worker is stopping; the command goes back to the queue for the next worker")]
    public static partial void CommandRequeued(ILogger logger, string commandType, string commandId, string vm);

    [LoggerMessage(EventId = 2030, EventName = "MirrorStarted", Level = LogLevel.Information, Message = "VM {Vm}: mirroring {Device} ({SourceNode}) to {Target} as job {JobId}")]
    public static partial void MirrorStarted(ILogger logger, string vm, string device, string sourceNode, string target, string jobId);

    [LoggerMessage(EventId = 2031, EventName = "MirrorRolledBack", Level = LogLevel.Warning, Message = "VM {Vm}: mirror of {Device} failed; rolled back jobs [{Jobs}], nodes [{Nodes}], files [{Files}]")]
    public static partial void MirrorRolledBack(ILogger logger, string vm, string device, string jobs, string nodes, string files);

    [LoggerMessage(EventId = 2032, EventName = "Pivoted", Level = LogLevel.Information, Message = "VM {Vm}: pivoted {Count} job(s): complete to all pending {PendingMs:0.##} ms, finalize {FinalizeMs:0.##} ms")]
    public static partial void Pivoted(ILogger logger, string vm, int count, double pendingMs, double finalizeMs);

    [LoggerMessage(EventId = 2033, EventName = "PivotRollingBack", Level = LogLevel.Warning, Message = "VM {Vm}: pivot failed ({Reason}); cancelling every job, the VM stays on its sources")]
    public static partial void PivotRollingBack(ILogger logger, string vm, string reason);

    [LoggerMessage(EventId = 2055, EventName = "PivotDismissFailed", Level = LogLevel.Warning, Message = "VM {Vm}: every disk switched, but dismissing the jobs after the pivot failed: {Reason}")]
    public static partial void PivotDismissFailed(ILogger logger, string vm, string reason);

    [LoggerMessage(EventId = 2035, EventName = "TargetDeleted", Level = LogLevel.Information, Message = "VM {Vm}: removed {Target}, the target of job {JobId} this worker created")]
    public static partial void TargetDeleted(ILogger logger, string vm, string jobId, string target);

    [LoggerMessage(EventId = 2034, EventName = "NodeKept", Level = LogLevel.Warning, Message = "VM {Vm}: node {Node} kept: {Reason}")]
    public static partial void NodeKept(ILogger logger, string vm, string node, string reason);

    [LoggerMessage(EventId = 2040, EventName = "Quiesced", Level = LogLevel.Information, Message = "VM {Vm}: quiesced by {Method} under lease {LeaseId} until {ExpiresAt:o} ({Frozen} filesystem(s) frozen, was paused: {WasPaused})")]
    public static partial void Quiesced(ILogger logger, string vm, string method, string leaseId, DateTimeOffset expiresAt, int frozen, bool wasPaused);

    [LoggerMessage(EventId = 2041, EventName = "Released", Level = LogLevel.Information, Message = "VM {Vm}: lease {LeaseId} ({Method}) released: {Reason}")]
    public static partial void Released(ILogger logger, string vm, string leaseId, string method, string reason);

    [LoggerMessage(EventId = 2042, EventName = "LeaseExpired", Level = LogLevel.Warning, Message = "VM {Vm}: lease {LeaseId} ({Method}) ran out with no unquiesce nor renewal: releasing the guest")]
    public static partial void LeaseExpired(ILogger logger, string vm, string leaseId, string method);

    [LoggerMessage(EventId = 2043, EventName = "ReleaseFailed", Level = LogLevel.Error, Message = "VM {Vm}: releasing lease {LeaseId} failed (attempt {Attempt}): {Error}; retrying")]
    public static partial void ReleaseFailed(ILogger logger, string vm, string leaseId, int attempt, string error);

    [LoggerMessage(EventId = 2044, EventName = "OrphanFreezeThawed", Level = LogLevel.Warning, Message = "VM {Vm}: the guest was frozen with no lease held by this worker (a worker died?): thawed {Count} filesystem(s)")]
    public static partial void OrphanFreezeThawed(ILogger logger, string vm, int count);

    [LoggerMessage(EventId = 2045, EventName = "AgentSilent", Level = LogLevel.Debug, Message = "VM {Vm}: guest agent does not answer: {Reason}")]
    public static partial void AgentSilent(ILogger logger, string vm, string reason);

    [LoggerMessage(EventId = 2046, EventName = "LeaseTakenOver", Level = LogLevel.Warning, Message = "VM {Vm}: took over lease {LeaseId} ({Method}, was paused: {WasPaused}) left by a previous worker; it runs until {ExpiresAt:o}")]
    public static partial void LeaseTakenOver(ILogger logger, string vm, string leaseId, string method, DateTimeOffset expiresAt, bool wasPaused);

    [LoggerMessage(EventId = 2047, EventName = "LeaseRanOutUnheld", Level = LogLevel.Warning, Message = "VM {Vm}: lease {LeaseId} ({Method}, was paused: {WasPaused}) left by a previous worker ran out at {ExpiresAt:o} while no worker held it: releasing the guest")]
    public static partial void LeaseRanOutUnheld(ILogger logger, string vm, string leaseId, string method, DateTimeOffset expiresAt, bool wasPaused);

    [LoggerMessage(EventId = 2048, EventName = "LeaseStateFailed", Level = LogLevel.Error, Message = "VM {Vm}: lease {LeaseId}: cannot {Operation} its state file: {Error}")]
    public static partial void LeaseStateFailed(ILogger logger, string vm, string leaseId, string operation, string error);

    [LoggerMessage(EventId = 2049, EventName = "NotResumed", Level = LogLevel.Information, Message = "VM {Vm}: lease {LeaseId} released without resuming the VM: it is {RunState}, not paused")]
    public static partial void NotResumed(ILogger logger, string vm, string leaseId, string runState);

    [LoggerMessage(EventId = 2050, EventName = "PublishRetrying", Level = LogLevel.Warning, Message = "Publishing {EventType} {EventId} failed ({Error}); {Queued} event(s) queued, retrying in order until the broker takes them")]
    public static partial void PublishRetrying(ILogger logger, string eventType, string eventId, int queued, string error);

    [LoggerMessage(EventId = 2051, EventName = "PublishRecovered", Level = LogLevel.Warning, Message = "The broker took {EventType} {EventId} again; {Queued} more queued; reporting every VM's jobs again")]
    public static partial void PublishRecovered(ILogger logger, string eventType, string eventId, int queued);

    [LoggerMessage(EventId = 2056, EventName = "PublishStalled", Level = LogLevel.Information, Message = "{EventType} {EventId} has waited {Elapsed} for the broker's confirmation; later events wait behind it so none overtakes it")]
    public static partial void PublishStalled(ILogger logger, string eventType, string eventId, TimeSpan elapsed);

    [LoggerMessage(EventId = 2057, EventName = "PublishResumed", Level = LogLevel.Information, Message = "The broker is reachable again ({Reason}): {InFlight} publish(es) waiting in the transport's back-off are sent again now, in order")]
    public static partial void PublishResumed(ILogger logger, string reason, int inFlight);

    [LoggerMessage(EventId = 2052, EventName = "EventsDropped", Level = LogLevel.Error, Message = "Stopping with {Count} event(s) not published")]
    public static partial void EventsDropped(ILogger logger, int count);

    [LoggerMessage(EventId = 2053, EventName = "RecoveredHandlerFailed", Level = LogLevel.Error, Message = "Reporting again after a broker outage failed")]
    public static partial void RecoveredHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2054, EventName = "ReportingAgain", Level = LogLevel.Information, Message = "Reporting the jobs of every VM again ({Reason})")]
    public static partial void ReportingAgain(ILogger logger, string reason);

    [LoggerMessage(EventId = 2060, EventName = "Inspected", Level = LogLevel.Information, Message = "VM {Vm}: inspected {Disks} disk(s) and {Targets} target(s): {Problems} problem(s)")]
    public static partial void Inspected(ILogger logger, string vm, int disks, int targets, int problems);

    [LoggerMessage(EventId = 6200, EventName = "VmsListed", Level = LogLevel.Information, Message = "Listed {Vms} VM(s), {Connected} connected")]
    public static partial void VmsListed(ILogger logger, int vms, int connected);

    [LoggerMessage(EventId = 6201, EventName = "CopyDeleted", Level = LogLevel.Information, Message = "VM {Vm}: deleted the old copy {Path} ({Bytes} bytes)")]
    public static partial void CopyDeleted(ILogger logger, string vm, string path, long bytes);

    [LoggerMessage(EventId = 6202, EventName = "FolderCreated", Level = LogLevel.Information, Message = "VM {Vm}: created the folder {Path}")]
    public static partial void FolderCreated(ILogger logger, string vm, string path);
}
