using Microsoft.Extensions.Logging;

namespace VirtFlow.Engine.Runtime;

/// <summary>The runtime's log messages, with stable event ids (1000-1099; the engine has 1000-1999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, EventName = "InstanceStarted", Level = LogLevel.Information, Message = "Instance {InstanceId} of {Workflow} v{Version} started")]
    public static partial void InstanceStarted(ILogger logger, string instanceId, string workflow, int version);

    [LoggerMessage(EventId = 1001, EventName = "DuplicateStart", Level = LogLevel.Information, Message = "Instance {InstanceId} of {Workflow} already exists: nothing started")]
    public static partial void DuplicateStart(ILogger logger, string instanceId, string workflow);

    [LoggerMessage(EventId = 1002, EventName = "DuplicateEvent", Level = LogLevel.Debug, Message = "Event {EventId} ({Key}) was received before: ignored")]
    public static partial void DuplicateEvent(ILogger logger, string eventId, string key);

    [LoggerMessage(EventId = 1003, EventName = "EventKept", Level = LogLevel.Debug, Message = "Event {EventId} ({Key}) has no waiter yet: kept in the inbox")]
    public static partial void EventKept(ILogger logger, string eventId, string key);

    [LoggerMessage(EventId = 1004, EventName = "InstanceBusy", Level = LogLevel.Debug, Message = "Instance {InstanceId} is being run by engine {Owner}: left to it")]
    public static partial void InstanceBusy(ILogger logger, string instanceId, string? owner);

    [LoggerMessage(EventId = 1005, EventName = "ConcurrencyConflict", Level = LogLevel.Debug, Message = "Instance {InstanceId} was changed by another engine (attempt {Attempt}): reloading")]
    public static partial void ConcurrencyConflict(ILogger logger, string instanceId, int attempt);

    [LoggerMessage(EventId = 1006, EventName = "DeliveryDeferred", Level = LogLevel.Warning, Message = "Delivery to instance {InstanceId} lost every race with other engines: left to the sweeps")]
    public static partial void DeliveryDeferred(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(EventId = 1007, EventName = "InstanceWorkFailed", Level = LogLevel.Error, Message = "Work on {Item} failed")]
    public static partial void InstanceWorkFailed(ILogger logger, Exception exception, string item);

    [LoggerMessage(EventId = 1008, EventName = "StimulusIgnored", Level = LogLevel.Information, Message = "Instance {InstanceId}: ignored {Stimulus} for {StepPath}: {Reason}")]
    public static partial void StimulusIgnored(ILogger logger, string instanceId, string stepPath, string stimulus, string reason);

    [LoggerMessage(EventId = 1009, EventName = "RecoveringOrphan", Level = LogLevel.Warning, Message = "Recovering instance {InstanceId} of dead engine {PreviousOwner}: {CompletedSteps} completed steps kept, {RerunSteps} re-run")]
    public static partial void RecoveringOrphan(ILogger logger, string instanceId, string? previousOwner, int completedSteps, int rerunSteps);

    [LoggerMessage(EventId = 1010, EventName = "ActivityThrew", Level = LogLevel.Warning, Message = "Instance {InstanceId}: activity {ActivityType} at {StepPath} threw")]
    public static partial void ActivityThrew(ILogger logger, Exception? exception, string instanceId, string stepPath, string activityType);

    [LoggerMessage(EventId = 1011, EventName = "AbandonFailed", Level = LogLevel.Warning, Message = "Instance {InstanceId}: abandoning {StepPath} failed")]
    public static partial void AbandonFailed(ILogger logger, Exception exception, string instanceId, string stepPath);

    [LoggerMessage(EventId = 1012, EventName = "OutcomeDiscarded", Level = LogLevel.Debug, Message = "Instance {InstanceId}: the outcome of {StepPath} was discarded (the run stopped)")]
    public static partial void OutcomeDiscarded(ILogger logger, Exception? exception, string instanceId, string stepPath);

    [LoggerMessage(EventId = 1013, EventName = "StopCheckpointFailed", Level = LogLevel.Warning, Message = "Instance {InstanceId}: saving before the stop failed (it will be recovered from its last checkpoint)")]
    public static partial void StopCheckpointFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(EventId = 1014, EventName = "BlockedWithoutBookmarks", Level = LogLevel.Error, Message = "Instance {InstanceId} is blocked but no step waits for anything (engine bug)")]
    public static partial void BlockedWithoutBookmarks(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 1015, EventName = "InvalidRetryDelay", Level = LogLevel.Warning, Message = "Instance {InstanceId}: retry delay '{Delay}' of step {StepId} is not a duration; using 1s")]
    public static partial void InvalidRetryDelay(ILogger logger, string instanceId, string stepId, string delay);

    [LoggerMessage(EventId = 1016, EventName = "OutboxSendFailed", Level = LogLevel.Warning, Message = "Sending {MessageId} ({MessageType} to {Destination}) failed, attempt {Attempts}; retry in {RetryDelay}")]
    public static partial void OutboxSendFailed(ILogger logger, Exception exception, string messageId, string messageType, string destination, int attempts, TimeSpan retryDelay);

    [LoggerMessage(EventId = 1017, EventName = "ChildNotStarted", Level = LogLevel.Warning, Message = "Child instance {ChildId} of workflow {Workflow} not started: {Fault}")]
    public static partial void ChildNotStarted(ILogger logger, string childId, string workflow, string? fault);

    [LoggerMessage(EventId = 1018, EventName = "InstanceCancelRequested", Level = LogLevel.Information, Message = "Instance {InstanceId}: cancellation requested ({Reason})")]
    public static partial void InstanceCancelRequested(ILogger logger, string instanceId, string reason);

    [LoggerMessage(EventId = 1019, EventName = "BackgroundPassFailed", Level = LogLevel.Error, Message = "Background {Pass} failed; trying again later")]
    public static partial void BackgroundPassFailed(ILogger logger, Exception exception, string pass);

    [LoggerMessage(EventId = 1020, EventName = "BackgroundStarted", Level = LogLevel.Information, Message = "Engine {EngineId}: background work started")]
    public static partial void BackgroundStarted(ILogger logger, string engineId);

    [LoggerMessage(EventId = 1021, EventName = "BackgroundStopped", Level = LogLevel.Information, Message = "Engine {EngineId}: background work stopped")]
    public static partial void BackgroundStopped(ILogger logger, string engineId);

    [LoggerMessage(EventId = 1022, EventName = "EventHandlerFailed", Level = LogLevel.Error, Message = "A handler of {EventType} for instance {InstanceId} threw")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception, string eventType, string instanceId);
}
