using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace VirtFlow.Hosting.Logging;

/// <summary>Serilog set-ups shared by the processes: human lines on stderr (so stdout stays the command's output).</summary>
public static class VirtFlowLogging
{
    /// <summary>
    /// Logs to stderr at <paramref name="level"/> and above (MassTransit at Warning unless <paramref name="level"/> is Debug or lower).
    /// Without <paramref name="stackTraces"/> an exception is summed up at the end of its line (type and messages).
    /// </summary>
    public static ILoggingBuilder AddVirtFlowConsole(this ILoggingBuilder builder, LogEventLevel level, bool stackTraces = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("MassTransit", level <= LogEventLevel.Debug ? level : LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.With(new ExceptionSummaryEnricher())
            .WriteTo.Console(
                outputTemplate: stackTraces
                    ? "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}"
                    : "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{" + ExceptionSummaryEnricher.PropertyName + "}{NewLine}",
                standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        builder.ClearProviders();
        builder.SetMinimumLevel(LogLevel.Trace);
        builder.AddSerilog(logger, dispose: true);
        return builder;
    }

    /// <summary>The level for a verbosity count: 0 warnings, 1 information, 2 debug, 3 and more everything.</summary>
    public static LogEventLevel LevelFor(int verbosity) => verbosity switch
    {
        <= 0 => LogEventLevel.Warning,
        1 => LogEventLevel.Information,
        2 => LogEventLevel.Debug,
        _ => LogEventLevel.Verbose,
    };
}
