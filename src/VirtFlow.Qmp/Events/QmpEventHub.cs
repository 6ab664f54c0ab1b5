using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace VirtFlow.Qmp;

/// <summary>
/// Fans events out to any number of listeners without ever blocking the publisher: each listener has its
/// own bounded queue, and a listener that falls behind is closed with <see cref="QmpErrorClasses.EventsLost"/>
/// rather than slowing the others or silently missing events. Keeps the last events so a wait that begins late
/// can replay what already arrived (<c>replayAfter</c>). <see cref="QmpClient"/> owns one; a fake client can use one too.
/// </summary>
public sealed class QmpEventHub
{
    private readonly Lock _gate = new();
    private readonly Queue<QmpEvent> _history = new();
    private readonly int _historyCapacity;
    private readonly int _subscriberCapacity;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private QmpEventSubscription[] _subscribers = [];
    private long _sequence;
    private bool _completed;
    private Exception? _completion;

    /// <param name="historyCapacity">How many recent events are kept for replay.</param>
    /// <param name="subscriberCapacity">The default queue bound of each listener.</param>
    /// <param name="timeProvider">Clock for <see cref="QmpEvent.ReceivedAt"/> and wait timeouts.</param>
    /// <param name="logger">Where lost listeners are reported.</param>
    public QmpEventHub(int historyCapacity = 256, int subscriberCapacity = 1024, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(historyCapacity);
        ArgumentOutOfRangeException.ThrowIfLessThan(subscriberCapacity, 1);
        _historyCapacity = historyCapacity;
        _subscriberCapacity = subscriberCapacity;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The sequence number of the last event published (0 before the first).</summary>
    public long Sequence => Volatile.Read(ref _sequence);

    /// <summary>True once <see cref="Complete"/> ran.</summary>
    public bool IsCompleted
    {
        get { lock (_gate) return _completed; }
    }

    /// <summary>A snapshot of the kept recent events, oldest first.</summary>
    public IReadOnlyList<QmpEvent> RecentEvents
    {
        get { lock (_gate) return [.. _history]; }
    }

    /// <summary>Numbers the event, keeps it in the history and offers it to every listener; never blocks.</summary>
    /// <exception cref="InvalidOperationException">The hub is complete.</exception>
    public QmpEvent Publish(string name, JsonElement data, DateTimeOffset timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            if (_completed) throw new InvalidOperationException("the event hub is complete");
            var evt = new QmpEvent(name, data, timestamp, _sequence + 1, _time.GetUtcNow());
            Volatile.Write(ref _sequence, evt.Sequence);
            if (_historyCapacity > 0)
            {
                if (_history.Count == _historyCapacity) _history.Dequeue();
                _history.Enqueue(evt);
            }
            foreach (var subscriber in _subscribers) subscriber.Offer(evt);
            return evt;
        }
    }

    /// <summary>
    /// Starts a listener. <paramref name="filter"/> runs on the publisher's thread under the hub's lock:
    /// keep it cheap and side-effect free. With <paramref name="replayAfter"/>, kept events with a greater
    /// sequence number are delivered first (if the history no longer reaches back that far the listener is
    /// closed with <see cref="QmpErrorClasses.EventsLost"/>). On a completed hub the listener gets the replay,
    /// then the completion.
    /// </summary>
    public QmpEventSubscription Subscribe(Func<QmpEvent, bool>? filter = null, long? replayAfter = null, int? capacity = null)
    {
        var subscription = new QmpEventSubscription(this, filter, capacity ?? _subscriberCapacity, _time);
        lock (_gate)
        {
            if (replayAfter is { } after && after < _sequence)
            {
                var oldest = _history.Count > 0 ? _history.Peek().Sequence : _sequence + 1;
                if (oldest > after + 1)
                {
                    subscription.Close(new QmpException(QmpErrorClasses.EventsLost,
                        $"cannot replay events after #{after}: the history only reaches back to #{oldest}"));
                    return subscription;
                }
                foreach (var evt in _history)
                    if (evt.Sequence > after) subscription.Offer(evt);
            }
            if (_completed) subscription.Close(Copy(_completion));
            else _subscribers = [.. _subscribers, subscription];
        }
        return subscription;
    }

    /// <summary>
    /// Ends the stream: every listener drains what it already has, then ends (with <paramref name="error"/>, if any,
    /// thrown to its reader). Later listeners end the same way. Idempotent: the first call wins.
    /// </summary>
    public void Complete(Exception? error = null)
    {
        lock (_gate)
        {
            if (_completed) return;
            _completed = true;
            _completion = error;
            foreach (var subscriber in _subscribers) subscriber.Close(Copy(error));
            _subscribers = [];
        }
    }

    internal void Remove(QmpEventSubscription subscription)
    {
        lock (_gate) _subscribers = Array.FindAll(_subscribers, s => !ReferenceEquals(s, subscription));
    }

    internal void ReportLost(int capacity, QmpEvent evt) => Log.ListenerLost(_logger, capacity, evt.Name, evt.Sequence);

    internal void ReportFilterFailed(Exception e) => Log.ListenerFilterFailed(_logger, e);

    // Each reader gets its own exception instance: one instance rethrown on many threads would share a stack trace.
    private static Exception? Copy(Exception? error) =>
        error is QmpException q ? new QmpException(q.ErrorClass, q.Description, q.Command, q.InnerException) : error;
}
