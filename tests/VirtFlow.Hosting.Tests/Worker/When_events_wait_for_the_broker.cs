using VirtFlow.Contracts;
using VirtFlow.HostWorker;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Worker;

/// <summary>
/// The worker's event buffer (<see cref="BufferedHostEventSink"/>) in front of a sink that fails while "the broker is
/// down": events go out in order once it is back, none lost, and recovery is announced once.
/// </summary>
public sealed class When_events_wait_for_the_broker
{
    private static readonly HostEventBufferOptions Fast = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(1),
        RetryMinDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(20),
        DrainTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task They_are_published_in_order_after_the_outage_and_recovery_is_announced_once()
    {
        var broker = new FlakySink { Down = true };
        await using var sink = new BufferedHostEventSink(broker, Fast);
        var recovered = 0;
        sink.Recovered += () => Interlocked.Increment(ref recovered);

        var published = Enumerable.Range(0, 20).Select(i => sink.PublishAsync(Event(i), CancellationToken.None)).ToList();
        await Eventually.Until(() => Task.FromResult(broker.Attempts > 3), TimeSpan.FromSeconds(10), "retries while down");
        Assert.All(published, p => Assert.False(p.IsCompleted));
        Assert.True(sink.InOutage);
        Assert.Equal(20, sink.Queued);

        broker.Down = false;
        await Task.WhenAll(published).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"e{i}"), broker.Published.Select(e => e.EventId));
        Assert.Equal(1, recovered);
        Assert.False(sink.InOutage);
        await Eventually.Until(() => Task.FromResult(sink.Queued == 0), TimeSpan.FromSeconds(5), "the pump settled them all");
    }

    [Fact]
    public async Task A_caller_that_gives_up_leaves_its_event_queued()
    {
        var broker = new FlakySink { Down = true };
        await using var sink = new BufferedHostEventSink(broker, Fast);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sink.PublishAsync(Event(1), giveUp.Token));
        broker.Down = false;

        await Eventually.Until(() => Task.FromResult(broker.Published.Count == 1), TimeSpan.FromSeconds(10), "the event published anyway");
    }

    [Fact]
    public async Task A_sink_that_works_adds_no_recovery()
    {
        var broker = new FlakySink();
        await using var sink = new BufferedHostEventSink(broker, Fast);
        var recovered = 0;
        sink.Recovered += () => recovered++;

        await sink.PublishAsync(Event(1), CancellationToken.None);

        Assert.Single(broker.Published);
        Assert.Equal(0, recovered);
    }

    [Fact]
    public async Task Events_are_handed_over_before_earlier_ones_are_confirmed_and_each_caller_completes_on_its_own()
    {
        var broker = new ConfirmingSink { Held = ["e0", "e1", "e2", "e3", "e4", "e5"] };
        await using var sink = new BufferedHostEventSink(broker, Fast);
        var published = Enumerable.Range(0, 6).Select(i => sink.PublishAsync(Event(i), CancellationToken.None)).ToList();

        // All six handed over in order while none is confirmed yet.
        await Eventually.Until(() => Task.FromResult(broker.CallCount == 6), TimeSpan.FromSeconds(5), "all six handed over");
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"e{i}"), broker.CallsNow());
        Assert.All(published, p => Assert.False(p.IsCompleted));

        // The last confirmation completes its caller at once; the others still wait for theirs.
        broker.Confirm("e5");
        await published[5].WaitAsync(TimeSpan.FromSeconds(5));
        Assert.All(published.Take(5), p => Assert.False(p.IsCompleted));
        foreach (var id in new[] { "e0", "e1", "e2", "e3", "e4" }) broker.Confirm(id);
        await Task.WhenAll(published).WaitAsync(TimeSpan.FromSeconds(5));
        // the pump takes them out of its window after their callers complete (in order): the count follows
        await Eventually.Until(() => Task.FromResult(sink.Queued == 0), TimeSpan.FromSeconds(5), "the pump settled all six");
    }

    [Fact]
    public async Task The_window_holds_at_most_MaxInFlight_unconfirmed_events()
    {
        var broker = new ConfirmingSink { Held = ["e0", "e1", "e2", "e3", "e4", "e5"] };
        await using var sink = new BufferedHostEventSink(broker, new HostEventBufferOptions { MaxInFlight = 2, AttemptTimeout = TimeSpan.FromSeconds(30) });
        var published = Enumerable.Range(0, 6).Select(i => sink.PublishAsync(Event(i), CancellationToken.None)).ToList();

        await Eventually.Until(() => Task.FromResult(broker.CallCount == 2), TimeSpan.FromSeconds(5), "two handed over");
        Assert.Equal(["e0", "e1"], broker.CallsNow());
        broker.Confirm("e0");
        await Eventually.Until(() => Task.FromResult(broker.CallCount == 3), TimeSpan.FromSeconds(5), "the third once the first is confirmed");
        foreach (var id in new[] { "e1", "e2", "e3", "e4", "e5" })
        {
            await Eventually.Until(() => Task.FromResult(broker.CallsNow().Contains(id)), TimeSpan.FromSeconds(5), id + " handed over");
            broker.Confirm(id);
        }
        await Task.WhenAll(published).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"e{i}"), broker.CallsNow());
        // Counted by the sink at each hand-over, not watched for a while: never a third before one of two was confirmed.
        Assert.Equal(2, broker.MostUnconfirmed);
    }

    [Fact]
    public async Task A_publish_that_fails_in_the_window_is_retried_and_the_others_are_not_sent_twice()
    {
        var broker = new ConfirmingSink { Held = ["e0"], FailOnce = "e3" };
        await using var sink = new BufferedHostEventSink(broker, Fast);
        var published = Enumerable.Range(0, 6).Select(i => sink.PublishAsync(Event(i), CancellationToken.None)).ToList();
        await Eventually.Until(() => Task.FromResult(broker.CallCount == 6), TimeSpan.FromSeconds(5), "all six handed over");
        Assert.All(published.Skip(1).Where((_, i) => i != 2), p => Assert.True(p.IsCompleted)); // confirmed behind e0

        broker.Confirm("e0");
        await Task.WhenAll(published).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["e0", "e1", "e2", "e3", "e4", "e5", "e3"], broker.CallsNow());
        Assert.False(sink.InOutage);
        await Eventually.Until(() => Task.FromResult(sink.Queued == 0), TimeSpan.FromSeconds(5), "the pump settled them all");
    }

    [Fact]
    public async Task An_event_unconfirmed_for_StallAfter_is_not_overtaken_by_later_ones()
    {
        // e0 waits for its confirmation as a publish made while the broker is away waits in the transport's back-off.
        var broker = new ConfirmingSink { Held = ["e0"] };
        var log = new EventNames();
        await using var sink = new BufferedHostEventSink(broker, new HostEventBufferOptions
        {
            StallAfter = TimeSpan.FromMilliseconds(50),
            AttemptTimeout = TimeSpan.FromMinutes(1),
        }, log);
        var first = sink.PublishAsync(Event(0), CancellationToken.None);
        await Eventually.Until(() => Task.FromResult(broker.CallCount == 1), TimeSpan.FromSeconds(5), "e0 handed over");

        // Later events: once e0 has waited StallAfter, they wait behind it instead of going past it.
        var next = 1;
        await Eventually.Until(() =>
        {
            _ = sink.PublishAsync(Event(next++), CancellationToken.None);
            return Task.FromResult(log.Count("PublishStalled") > 0);
        }, TimeSpan.FromSeconds(5), "the stall noticed");
        var calls = broker.CallsNow();
        Assert.False(first.IsCompleted);
        Assert.True(calls.Count < sink.Queued, $"{sink.Queued} queued, yet every one was handed over past e0: {string.Join(", ", calls)}");

        broker.Confirm("e0");
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        await Eventually.Until(() => Task.FromResult(sink.Queued == 0), TimeSpan.FromSeconds(5), "the later events out after e0");
        Assert.Equal(Enumerable.Range(0, next).Select(i => $"e{i}"), broker.CallsNow());
    }

    [Fact]
    public async Task Reconnected_sends_at_once_and_in_order_what_waits_in_the_transports_back_off()
    {
        // Every first attempt hangs until cancelled (MassTransit's reconnect back-off), the second goes through.
        var broker = new BackOffSink();
        await using var sink = new BufferedHostEventSink(broker, new HostEventBufferOptions
        {
            AttemptTimeout = TimeSpan.FromMinutes(5),
            RetryMinDelay = TimeSpan.FromMinutes(1),
            RetryMaxDelay = TimeSpan.FromMinutes(1),
        });
        var published = Enumerable.Range(0, 3).Select(i => sink.PublishAsync(Event(i), CancellationToken.None)).ToList();
        await Eventually.Until(() => Task.FromResult(broker.Waiting >= 1), TimeSpan.FromSeconds(5), "a publish waiting in the back-off");

        sink.Reconnected("the test's broker is back");
        // Each is published within moments, not after the 5 minute attempt timeout or the 1 minute retry delay.
        await Task.WhenAll(published).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["e0", "e1", "e2"], broker.Published());
    }

    [Fact]
    public void A_batch_size_below_one_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new HostEventBufferOptions { MaxInFlight = 0 }.Validate());
        Assert.Equal("MaxInFlight", e.ParamName);
    }

    private static WorkerOnline Event(int i) => new() { EventId = $"e{i}", HostId = "hv1", Vms = [] };

    /// <summary>
    /// Records each publish as it is handed over; one named in <see cref="Held"/> completes when the test confirms it, the
    /// others at once; <see cref="FailOnce"/> fails that event's first publish.
    /// </summary>
    private sealed class ConfirmingSink : IHostEventSink
    {
        private readonly Dictionary<string, TaskCompletionSource> _waiting = [];
        private readonly List<string> _calls = [];
        private int _mostUnconfirmed;

        public HashSet<string> Held { get; init; } = [];

        public string? FailOnce { get; set; }

        public int CallCount
        {
            get
            {
                lock (_waiting) return _calls.Count;
            }
        }

        public List<string> CallsNow()
        {
            lock (_waiting) return [.. _calls];
        }

        /// <summary>The most events handed over and not yet confirmed at any one time (counted at each hand-over).</summary>
        public int MostUnconfirmed
        {
            get
            {
                lock (_waiting) return _mostUnconfirmed;
            }
        }

        public Task PublishAsync(HostEvent e, CancellationToken ct)
        {
            lock (_waiting)
            {
                _calls.Add(e.EventId);
                if (e.EventId == FailOnce)
                {
                    FailOnce = null;
                    return Task.FromException(new InvalidOperationException("channel closed"));
                }
                if (!Held.Contains(e.EventId)) return Task.CompletedTask;
                var confirmation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting[e.EventId] = confirmation;
                _mostUnconfirmed = Math.Max(_mostUnconfirmed, _waiting.Values.Count(w => !w.Task.IsCompleted));
                return confirmation.Task;
            }
        }

        public void Confirm(string eventId)
        {
            lock (_waiting) _waiting[eventId].SetResult();
        }
    }

    /// <summary>The first attempt of each event waits until it is cancelled; later ones are recorded as published.</summary>
    private sealed class BackOffSink : IHostEventSink
    {
        private readonly HashSet<string> _tried = [];
        private readonly List<string> _published = [];
        private int _waiting;

        public int Waiting => Volatile.Read(ref _waiting);

        public List<string> Published()
        {
            lock (_tried) return [.. _published];
        }

        public async Task PublishAsync(HostEvent e, CancellationToken ct)
        {
            bool first;
            lock (_tried) first = _tried.Add(e.EventId);
            if (!first)
            {
                lock (_tried) _published.Add(e.EventId);
                return;
            }
            Interlocked.Increment(ref _waiting);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
    }

    /// <summary>Counts the log entries by event name.</summary>
    private sealed class EventNames : Microsoft.Extensions.Logging.ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _counts = new();

        public int Count(string name) => _counts.GetValueOrDefault(name);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) =>
            _counts.AddOrUpdate(eventId.Name ?? "", 1, (_, n) => n + 1);
    }

    /// <summary>Fails every publish while <see cref="Down"/>, records the others.</summary>
    private sealed class FlakySink : IHostEventSink
    {
        private int _attempts;

        public volatile bool Down;

        public int Attempts => Volatile.Read(ref _attempts);

        public List<HostEvent> Published { get; } = [];

        public Task PublishAsync(HostEvent e, CancellationToken ct)
        {
            Interlocked.Increment(ref _attempts);
            if (Down) throw new InvalidOperationException("broker unreachable");
            lock (Published) Published.Add(e);
            return Task.CompletedTask;
        }
    }
}
