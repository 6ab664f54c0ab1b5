using VirtFlow.Contracts;
using VirtFlow.HostWorker;

namespace VirtFlow.HostWorker.Tests;

/// <summary>An event sink that keeps everything and lets a test await an event (already received or future).</summary>
public sealed class RecordingSink : IHostEventSink
{
    private readonly Lock _gate = new();
    private readonly List<HostEvent> _events = [];
    private readonly List<(Func<HostEvent, bool> Match, TaskCompletionSource<HostEvent> Done)> _waiters = [];
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Events matching this are recorded when handed over but their publish does not complete until <see cref="Release"/>,
    /// as with a broker that is away: the caller waits for a confirmation that does not come.
    /// </summary>
    public Func<HostEvent, bool>? HoldWhere { get; init; }

    /// <summary>Completes every held publish, and every later one at once.</summary>
    public void Release() => _released.TrySetResult();

    public IReadOnlyList<HostEvent> Events
    {
        get { lock (_gate) return [.. _events]; }
    }

    public IReadOnlyList<T> Of<T>() where T : HostEvent => [.. Events.OfType<T>()];

    public Task PublishAsync(HostEvent e, CancellationToken ct)
    {
        List<TaskCompletionSource<HostEvent>>? done = null;
        lock (_gate)
        {
            _events.Add(e);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(e)) continue;
                (done ??= []).Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        if (done is not null) foreach (var d in done) d.TrySetResult(e);
        return HoldWhere?.Invoke(e) == true ? _released.Task.WaitAsync(ct) : Task.CompletedTask;
    }

    /// <summary>The first event of type <typeparamref name="T"/> matching <paramref name="match"/>, received already or within <paramref name="timeout"/>.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null) where T : HostEvent
    {
        Task<HostEvent> task;
        lock (_gate)
        {
            if (_events.OfType<T>().FirstOrDefault(match) is { } seen) return seen;
            var done = new TaskCompletionSource<HostEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((e => e is T t && match(t), done));
            task = done.Task;
        }
        var limit = timeout ?? Timeouts.Slow;
        try
        {
            return (T)await task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no matching {typeof(T).Name} within {limit.TotalSeconds:0} s; got:\n" +
                string.Join("\n", Events.Select(e => $"  {e.GetType().Name} {e.EventId}")));
        }
    }
}
