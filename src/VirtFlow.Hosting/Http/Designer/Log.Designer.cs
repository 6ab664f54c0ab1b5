using Microsoft.Extensions.Logging;

namespace VirtFlow.Hosting.Http.Designer;

/// <summary>The designer's serving log messages (event ids 6300-6309).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6300, EventName = "DesignerServed", Level = LogLevel.Information, Message = "Designer served at / from {Root}")]
    public static partial void DesignerServed(ILogger logger, string root);

    [LoggerMessage(EventId = 6301, EventName = "DesignerMissing", Level = LogLevel.Warning,
        Message = "Designer not served: {Root} holds no index.html (build it with ./build.sh build, or set VirtFlow:Server:Designer / --designer DIR)")]
    public static partial void DesignerMissing(ILogger logger, string root);
}
