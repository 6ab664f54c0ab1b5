using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace VirtFlow.Benchmarks;

/// <summary>
/// With <c>VIRTFLOW_BENCH_TRACE=1</c>, every embedded VirtFlow of a benchmark logs at Debug to stderr, each line stamped
/// with the ms since the process started and the thread: where a step's time goes (QMP commands, bus sends and
/// receives, engine commits). The figures of such a run are slower than without it; use it to look, not to measure.
/// </summary>
internal sealed class TraceLogProvider : ILoggerProvider
{
    public static void Configure(ILoggingBuilder b)
    {
        b.SetMinimumLevel(LogLevel.Debug);
        b.AddProvider(new TraceLogProvider());
    }

    private static readonly long Start = Stopwatch.GetTimestamp();
    private static readonly Lock Gate = new();
    public ILogger CreateLogger(string categoryName) => new L(categoryName);
    public void Dispose() { }
    private sealed class L(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var ms = Stopwatch.GetElapsedTime(Start).TotalMilliseconds;
            var line = $"{ms,10:0.00} [{Environment.CurrentManagedThreadId,3}] {category.Split('.').Last()}: {formatter(state, exception)}";
            lock (Gate) Console.Error.WriteLine(line);
        }
    }
}
