using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace VirtFlow.Hosting.Logging;

/// <summary>
/// Serilog set-ups shared by the processes: human lines on stderr (so stdout stays the command's output), each made safe
/// by <see cref="SafeTextFormatter"/> (secrets hidden, control characters escaped, values bounded), whoever logs.
/// </summary>
public static class VirtFlowLogging
{
    /// <summary>
    /// Logs to stderr at <paramref name="level"/> and above (MassTransit at Warning unless <paramref name="level"/> is Debug or lower).
    /// Without <paramref name="stackTraces"/> (the default) every event is one line, an exception summed up at its end
    /// (type and messages); with it the exception's stack trace follows (<c>-vv</c>: see <see cref="StackTracesFor"/>).
    /// </summary>
    public static ILoggingBuilder AddVirtFlowConsole(this ILoggingBuilder builder, LogEventLevel level, bool stackTraces = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("MassTransit", level <= LogEventLevel.Debug ? level : LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.With(new ExceptionSummaryEnricher())
            .WriteTo.Console(Formatter(stackTraces), standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
        builder.ClearProviders();
        builder.SetMinimumLevel(LogLevel.Trace);
        builder.AddSerilog(logger, dispose: true);
        return builder;
    }

    /// <summary>The formatter of <see cref="AddVirtFlowConsole"/>: one safe line per event, or with stack traces.</summary>
    internal static SafeTextFormatter Formatter(bool stackTraces) => new(
        stackTraces
            ? "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}"
            : "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{" + ExceptionSummaryEnricher.PropertyName + "}{NewLine}",
        System.Globalization.CultureInfo.InvariantCulture,
        multiLine: stackTraces);

    /// <summary>Whether a verbosity count (<c>-v</c> given N times, <c>-vv</c> counting 2) shows stack traces: from 2 on.</summary>
    public static bool StackTracesFor(int verbosity) => verbosity >= 2;

    /// <summary>The level for a verbosity count: 0 warnings, 1 information, 2 debug, 3 and more everything.</summary>
    public static LogEventLevel LevelFor(int verbosity) => verbosity switch
    {
        <= 0 => LogEventLevel.Warning,
        1 => LogEventLevel.Information,
        2 => LogEventLevel.Debug,
        _ => LogEventLevel.Verbose,
    };
}
