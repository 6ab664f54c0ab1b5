using Serilog.Core;
using Serilog.Events;

namespace VirtFlow.Hosting.Logging;

/// <summary>
/// Adds <c>ExceptionSummary</c>: <c> (TYPE: message; inner: message)</c> of a log event's exception, on one line, for
/// consoles that show no stack traces.
/// </summary>
internal sealed class ExceptionSummaryEnricher : ILogEventEnricher
{
    public const string PropertyName = "ExceptionSummary";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(propertyFactory);
        var summary = "";
        if (logEvent.Exception is { } exception)
        {
            var parts = new List<string> { $"{exception.GetType().Name}: {exception.Message}" };
            for (var inner = exception.InnerException; inner is not null && parts.Count < 4; inner = inner.InnerException)
                if (!parts[^1].Contains(inner.Message, StringComparison.Ordinal)) parts.Add(inner.Message);
            summary = " (" + string.Join("; ", parts).ReplaceLineEndings(" ") + ")";
        }
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(PropertyName, summary));
    }
}
