using Microsoft.Extensions.Logging;

namespace VirtFlow.Hosting.Http;

/// <summary>The HTTP API's log messages (event ids 5200-5219).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5200, EventName = "HttpListening", Level = LogLevel.Information, Message = "HTTP API listening on {Address}")]
    public static partial void HttpListening(ILogger logger, string address);

    [LoggerMessage(EventId = 5201, EventName = "HttpRequestFailed", Level = LogLevel.Error, Message = "HTTP {Method} {Path} failed: {Error}")]
    public static partial void HttpRequestFailed(ILogger logger, string method, string path, string error);

    [LoggerMessage(EventId = 5202, EventName = "AuditFailed", Level = LogLevel.Warning, Message = "Audit entry for {Actor} {Action} ({Status}) not written: {Error}")]
    public static partial void AuditFailed(ILogger logger, string actor, string action, int status, string error);

    [LoggerMessage(EventId = 5203, EventName = "KeyCreated", Level = LogLevel.Information, Message = "API key {KeyId} '{Name}' ({Role}) created by {Actor}")]
    public static partial void KeyCreated(ILogger logger, string keyId, string name, string role, string actor);

    [LoggerMessage(EventId = 5204, EventName = "KeyRevoked", Level = LogLevel.Information, Message = "API key {KeyId} '{Name}' revoked by {Actor}")]
    public static partial void KeyRevoked(ILogger logger, string keyId, string name, string actor);
}
