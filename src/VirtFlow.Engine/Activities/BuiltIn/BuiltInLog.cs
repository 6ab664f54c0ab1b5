using Microsoft.Extensions.Logging;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary>Log messages of the built-in activities (event ids 1100-1199).</summary>
internal static partial class BuiltInLog
{
    [LoggerMessage(EventId = 1100, EventName = "WorkflowLog", Message = "{Workflow} {InstanceId} {StepPath}: {Text}")]
    public static partial void WorkflowLog(ILogger logger, LogLevel level, string workflow, string instanceId, string stepPath, string text);

    [LoggerMessage(EventId = 1101, EventName = "HttpAnswered", Level = LogLevel.Information, Message = "http {Method} {Url} from {InstanceId} {StepPath} answered {Status}")]
    public static partial void HttpAnswered(ILogger logger, string method, string url, string instanceId, string stepPath, int status);
}
