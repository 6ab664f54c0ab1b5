using Microsoft.Extensions.Logging;

namespace VirtFlow.Hosting.Catalog;

/// <summary>The workflow catalog's log messages (event ids 5090-5099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5090, EventName = "WorkflowImported", Level = LogLevel.Information, Message = "Workflow {Workflow}: imported {File} as version {Version}")]
    public static partial void WorkflowImported(ILogger logger, string workflow, int version, string file);

    [LoggerMessage(EventId = 5091, EventName = "WorkflowUnchanged", Level = LogLevel.Debug, Message = "Workflow {Workflow}: {File} unchanged since version {Version}")]
    public static partial void WorkflowUnchanged(ILogger logger, string workflow, int version, string file);

    [LoggerMessage(EventId = 5092, EventName = "DraftSaved", Level = LogLevel.Information, Message = "Workflow {Workflow}: draft {ETag} saved by {By} ({Errors} errors)")]
    public static partial void DraftSaved(ILogger logger, string workflow, string eTag, string by, int errors);

    [LoggerMessage(EventId = 5093, EventName = "WorkflowPublished", Level = LogLevel.Information, Message = "Workflow {Workflow}: version {Version} published by {By}")]
    public static partial void WorkflowPublished(ILogger logger, string workflow, int version, string by);
}
