using Microsoft.Extensions.Logging;

namespace VirtFlow.Qmp;

/// <summary>
/// The assembly's log messages (one partial class per assembly). QMP uses event ids 3000-3099;
/// the guest-agent client adds its own in another part of this class with ids from 3100.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, EventName = "Connected", Level = LogLevel.Information, Message = "QMP connected to {Endpoint}, QEMU {Version}")]
    public static partial void Connected(ILogger logger, string endpoint, string version);

    [LoggerMessage(EventId = 3002, EventName = "Disconnected", Level = LogLevel.Information, Message = "QMP {Endpoint} disconnected: {ErrorClass}: {Reason}; {Pending} pending call(s) failed")]
    public static partial void Disconnected(ILogger logger, string endpoint, string errorClass, string reason, int pending);

    [LoggerMessage(EventId = 3003, EventName = "UnmatchedReply", Level = LogLevel.Warning, Message = "QMP {Endpoint}: dropped a reply with unknown id {Id} (its caller timed out or was cancelled)")]
    public static partial void UnmatchedReply(ILogger logger, string endpoint, string id);

    [LoggerMessage(EventId = 3004, EventName = "ReplyWithoutId", Level = LogLevel.Warning, Message = "QMP {Endpoint}: dropped a reply without an id: {Message}")]
    public static partial void ReplyWithoutId(ILogger logger, string endpoint, string message);

    [LoggerMessage(EventId = 3005, EventName = "CommandSent", Level = LogLevel.Debug, Message = "QMP {Endpoint}: -> {Command} ({Id})")]
    public static partial void CommandSent(ILogger logger, string endpoint, string command, string id);

    [LoggerMessage(EventId = 3006, EventName = "CommandTimedOut", Level = LogLevel.Warning, Message = "QMP {Endpoint}: {Command} ({Id}) got no reply within {Timeout}")]
    public static partial void CommandTimedOut(ILogger logger, string endpoint, string command, string id, TimeSpan timeout);

    [LoggerMessage(EventId = 3007, EventName = "EventReceived", Level = LogLevel.Trace, Message = "QMP {Endpoint}: event {Event} #{Sequence}")]
    public static partial void EventReceived(ILogger logger, string endpoint, string @event, long sequence);

    [LoggerMessage(EventId = 3008, EventName = "ListenerLost", Level = LogLevel.Warning, Message = "QMP event listener fell behind ({Capacity} events unread) and was closed at event {Event} #{Sequence}")]
    public static partial void ListenerLost(ILogger logger, int capacity, string @event, long sequence);

    [LoggerMessage(EventId = 3009, EventName = "ListenerFilterFailed", Level = LogLevel.Warning, Message = "QMP event listener's filter threw; the listener was closed")]
    public static partial void ListenerFilterFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3010, EventName = "UnknownMessage", Level = LogLevel.Warning, Message = "QMP {Endpoint}: ignored a message that is neither a reply nor an event: {Message}")]
    public static partial void UnknownMessage(ILogger logger, string endpoint, string message);
}
