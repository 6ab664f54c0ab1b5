using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace VirtFlow.Hosting.Tests.Support;

/// <summary>Logs into a test's output (shown when it fails).</summary>
/// <param name="output">The test's output.</param>
/// <param name="minimum">The lowest level written.</param>
/// <param name="onWarning">Called for every warning or worse (a test may count them).</param>
public sealed class TestOutputLoggerProvider(ITestOutputHelper output, LogLevel minimum = LogLevel.Information, Action<string>? onWarning = null) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName, minimum, onWarning);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string category, LogLevel minimum, Action<string>? onWarning) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var text = formatter(state, exception);
            if (logLevel >= LogLevel.Warning && category.StartsWith("VirtFlow", StringComparison.Ordinal)) onWarning?.Invoke(text);
            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {text}{(exception is null ? "" : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // the test is over
            }
        }
    }
}
