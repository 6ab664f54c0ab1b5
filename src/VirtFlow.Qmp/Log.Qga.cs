using Microsoft.Extensions.Logging;

namespace VirtFlow.Qmp;

/// <summary>The guest-agent client's part of the assembly's log messages (event ids 3100-3199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3100, EventName = "QgaConnected", Level = LogLevel.Information, Message = "QGA connected to {Endpoint}")]
    public static partial void QgaConnected(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 3101, EventName = "QgaDisconnected", Level = LogLevel.Information, Message = "QGA {Endpoint} disconnected: {ErrorClass}: {Reason}")]
    public static partial void QgaDisconnected(ILogger logger, string endpoint, string errorClass, string reason);

    [LoggerMessage(EventId = 3102, EventName = "QgaResynced", Level = LogLevel.Debug, Message = "QGA {Endpoint}: resynchronised with guest-sync-delimited {Id} ({Stale} stale sync reply(ies) skipped)")]
    public static partial void QgaResynced(ILogger logger, string endpoint, long id, int stale);

    [LoggerMessage(EventId = 3103, EventName = "QgaCommandSent", Level = LogLevel.Debug, Message = "QGA {Endpoint}: -> {Command}")]
    public static partial void QgaCommandSent(ILogger logger, string endpoint, string command);

    [LoggerMessage(EventId = 3104, EventName = "QgaCommandTimedOut", Level = LogLevel.Warning, Message = "QGA {Endpoint}: {Command} got no reply within {Timeout}; the next call resynchronises")]
    public static partial void QgaCommandTimedOut(ILogger logger, string endpoint, string command, TimeSpan timeout);
}
