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
        Assert.Equal(0, sink.Queued);
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

    private static WorkerOnline Event(int i) => new() { EventId = $"e{i}", HostId = "hv1", Vms = [] };

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
