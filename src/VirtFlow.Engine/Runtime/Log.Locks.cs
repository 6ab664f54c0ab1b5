using Microsoft.Extensions.Logging;

namespace VirtFlow.Engine.Runtime;

// Locks and retries (ids 1070-1079; the worker's log goes up to 1060).
internal static partial class Log
{
    [LoggerMessage(EventId = 1070, EventName = "StartLocked", Level = LogLevel.Information, Message = "Instance {InstanceId} of {Workflow} not started: lock {LockKey} is held by instance {Holder}")]
    public static partial void StartLocked(ILogger logger, string instanceId, string workflow, string lockKey, string holder);

    [LoggerMessage(EventId = 1071, EventName = "InstanceRetried", Level = LogLevel.Information, Message = "Instance {InstanceId} of {Workflow} retried from step {StepId}")]
    public static partial void InstanceRetried(ILogger logger, string instanceId, string workflow, string stepId);
}
