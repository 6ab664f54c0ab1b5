using Microsoft.Extensions.Logging;

namespace VirtFlow.Hosting;

/// <summary>The hosting layer's log messages, with stable event ids (5000-5099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, EventName = "CommandSent", Level = LogLevel.Information, Message = "Sent {MessageType} {CommandId} of instance {InstanceId} to {Address}")]
    public static partial void CommandSent(ILogger logger, string messageType, string commandId, string instanceId, Uri address);

    [LoggerMessage(EventId = 5001, EventName = "CommandRejected", Level = LogLevel.Warning, Message = "Command {MessageType} {CommandId} for host {HostId} cannot be read ({Error}): answered with a failed result")]
    public static partial void CommandRejected(ILogger logger, string messageType, string commandId, string hostId, string error);

    [LoggerMessage(EventId = 5002, EventName = "HostEventDelivered", Level = LogLevel.Debug, Message = "Host event {EventType} {EventId} → engine key {Key} (new: {Added})")]
    public static partial void HostEventDelivered(ILogger logger, string eventType, string eventId, string key, bool added);

    [LoggerMessage(EventId = 5003, EventName = "HostEventIgnored", Level = LogLevel.Debug, Message = "Host event {EventType} {EventId} concerns no workflow: dropped")]
    public static partial void HostEventIgnored(ILogger logger, string eventType, string eventId);

    [LoggerMessage(EventId = 5004, EventName = "BackgroundStarting", Level = LogLevel.Information, Message = "Engine {EngineId} background loop started")]
    public static partial void BackgroundStarting(ILogger logger, string engineId);

    [LoggerMessage(EventId = 5005, EventName = "BackgroundFailed", Level = LogLevel.Error, Message = "Engine {EngineId} background loop failed")]
    public static partial void BackgroundFailed(ILogger logger, Exception exception, string engineId);

    [LoggerMessage(EventId = 5006, EventName = "EmbeddedStarted", Level = LogLevel.Information, Message = "Embedded VirtFlow started: store {Store}, host {HostId} serving {VmCount} VMs, bus {Bus}")]
    public static partial void EmbeddedStarted(ILogger logger, string store, string hostId, int vmCount, string bus);

    [LoggerMessage(EventId = 5007, EventName = "EmbeddedStopped", Level = LogLevel.Information, Message = "Embedded VirtFlow stopped")]
    public static partial void EmbeddedStopped(ILogger logger);

    [LoggerMessage(EventId = 5008, EventName = "MessageSent", Level = LogLevel.Information, Message = "Sent {MessageType} {MessageId} of instance {InstanceId} to queue {Address} (not a host command)")]
    public static partial void MessageSent(ILogger logger, string messageType, string messageId, string instanceId, Uri address);

    [LoggerMessage(EventId = 5009, EventName = "HostEventDropped", Level = LogLevel.Debug, Message = "Host event {EventType} {EventId} dropped: the engine is stopping")]
    public static partial void HostEventDropped(ILogger logger, string eventType, string eventId);

    [LoggerMessage(EventId = 5010, EventName = "StartReceived", Level = LogLevel.Information, Message = "Start message {MessageId}: workflow {Workflow} v{Version}")]
    public static partial void StartReceived(ILogger logger, string messageId, string workflow, int version);

    [LoggerMessage(EventId = 5011, EventName = "StartRejected", Level = LogLevel.Warning, Message = "Start message {MessageId} for workflow {Workflow} rejected: {Reason}")]
    public static partial void StartRejected(ILogger logger, string messageId, string workflow, string reason);

    [LoggerMessage(EventId = 5012, EventName = "EventNotPublished", Level = LogLevel.Debug, Message = "{MessageType} of instance {InstanceId} not published")]
    public static partial void EventNotPublished(ILogger logger, Exception exception, string messageType, string instanceId);

    [LoggerMessage(EventId = 5013, EventName = "ServerStarted", Level = LogLevel.Information, Message = "VirtFlow server {EngineId} started: bus {Bus}, {WorkflowCount} workflows")]
    public static partial void ServerStarted(ILogger logger, string engineId, string bus, int workflowCount);

    [LoggerMessage(EventId = 5014, EventName = "ServerStopped", Level = LogLevel.Information, Message = "VirtFlow server stopped")]
    public static partial void ServerStopped(ILogger logger);

    [LoggerMessage(EventId = 5015, EventName = "HostEventForged", Level = LogLevel.Warning, Message = "Host event {EventType} {EventId} for host {HostId} dropped: sent by RabbitMQ user {UserId}, not by that host's worker {ExpectedUser}")]
    public static partial void HostEventForged(ILogger logger, string eventType, string eventId, string hostId, string userId, string expectedUser);

    [LoggerMessage(EventId = 5016, EventName = "TrustingAnyWorker", Level = LogLevel.Warning, Message = "Host events are taken from any RabbitMQ user (--trust-any-worker): anyone who can publish on the broker can fake a command result")]
    public static partial void TrustingAnyWorker(ILogger logger);

    [LoggerMessage(EventId = 5017, EventName = "StatusUnanswered", Level = LogLevel.Information, Message = "No server answered the status request for instance {InstanceId} within {Timeout} (is a server running?)")]
    public static partial void StatusUnanswered(ILogger logger, string instanceId, TimeSpan timeout);
}
