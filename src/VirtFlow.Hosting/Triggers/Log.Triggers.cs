using Microsoft.Extensions.Logging;

namespace VirtFlow.Hosting.Triggers;

/// <summary>The message triggers' log messages (event ids 6100-6199). Echoed fields are escaped and bounded (TerminalText).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6100, EventName = "TriggerBound", Level = LogLevel.Information, Message = "Message trigger {MessageType} bound to {Queue}: workflow {Workflow} v{Version}")]
    public static partial void Bound(ILogger logger, string messageType, string queue, string workflow, int version);

    [LoggerMessage(EventId = 6101, EventName = "TriggerRebound", Level = LogLevel.Information, Message = "Message trigger {MessageType} now starts workflow {Workflow} v{Version}")]
    public static partial void Rebound(ILogger logger, string messageType, string workflow, int version);

    [LoggerMessage(EventId = 6102, EventName = "TriggerUnbound", Level = LogLevel.Information, Message = "Message trigger {MessageType} unbound: no published workflow has it (its queue and waiting messages stay)")]
    public static partial void Unbound(ILogger logger, string messageType);

    [LoggerMessage(EventId = 6103, EventName = "TriggerConflict", Level = LogLevel.Warning, Message = "Message trigger {MessageType} of workflow {Workflow} is not bound: workflow {Holder} has it already (one workflow per message type)")]
    public static partial void Conflict(ILogger logger, string messageType, string workflow, string holder);

    [LoggerMessage(EventId = 6104, EventName = "TriggerMessageAccepted", Level = LogLevel.Information, Message = "Message {MessageType} ({Key}) from user {User} started instance {InstanceId} of {Workflow} v{Version}")]
    public static partial void MessageAccepted(ILogger logger, string messageType, string key, string instanceId, string workflow, int version, string user);

    [LoggerMessage(EventId = 6105, EventName = "TriggerMessageDuplicate", Level = LogLevel.Information, Message = "Message {MessageType} ({Key}) is a duplicate of instance {InstanceId}: nothing started")]
    public static partial void MessageDuplicate(ILogger logger, string messageType, string key, string instanceId);

    [LoggerMessage(EventId = 6106, EventName = "TriggerMessageRejected", Level = LogLevel.Warning, Message = "Message {MessageType} rejected to its error queue: {Reason}")]
    public static partial void MessageRejected(ILogger logger, string messageType, string reason);

    [LoggerMessage(EventId = 6107, EventName = "TriggerCountFailed", Level = LogLevel.Warning, Message = "Message {MessageType}: counting the rejection failed: {Error}")]
    public static partial void CountFailed(ILogger logger, string messageType, string error);

    [LoggerMessage(EventId = 6108, EventName = "TriggerRefreshFailed", Level = LogLevel.Warning, Message = "Message triggers: comparing the bindings with the published workflows failed (retried): {Error}")]
    public static partial void RefreshFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 6109, EventName = "TriggerDefinitionUnreadable", Level = LogLevel.Warning, Message = "Message triggers: published workflow {Workflow} v{Version} cannot be read: {Error}")]
    public static partial void DefinitionUnreadable(ILogger logger, string workflow, int version, string error);
}
