using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace VirtFlow.Benchmarks;

/// <summary>
/// A logger provider that records when a QMP client writes a command (its Debug line, event id 5 "QMP {Endpoint}: -&gt; {Command}"),
/// stamped with <see cref="Stopwatch.GetTimestamp"/>; <see cref="FirstAfterAsync"/> waits for the first after a mark.
/// </summary>
internal sealed class QmpCommandLog : ILoggerProvider
{
    private const int CommandSentEventId = 3005;
    private readonly Lock _gate = new();
    private readonly List<(long At, string Command)> _sent = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The position after the commands seen so far.</summary>
    public int Mark()
    {
        lock (_gate) return _sent.Count;
    }

    /// <summary>The first command written after <paramref name="mark"/> (that <paramref name="match"/> accepts, if given): when (a Stopwatch timestamp) and which.</summary>
    public async Task<(long At, string Command)> FirstAfterAsync(int mark, TimeSpan timeout, CancellationToken ct, Func<string, bool>? match = null)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (var i = mark; i < _sent.Count; i++)
                {
                    if (match is null || match(_sent[i].Command)) return _sent[i];
                }
                changed = _changed.Task;
            }
            await changed.WaitAsync(limit.Token);
        }
    }

    private void Add(string command)
    {
        var at = Stopwatch.GetTimestamp();
        TaskCompletionSource done;
        lock (_gate)
        {
            _sent.Add((at, command));
            done = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    private sealed class Logger(QmpCommandLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // the QMP client logs through its owner's logger (the worker's): recognise its line by id and fields
            if (eventId.Id != CommandSentEventId || state is not IReadOnlyList<KeyValuePair<string, object?>> values
                || !values.Any(v => v.Key == "Endpoint") || values.FirstOrDefault(v => v.Key == "Command").Value is not { } sent) return;
            var command = sent.ToString() ?? "?";
            log.Add(command);
        }
    }
}
