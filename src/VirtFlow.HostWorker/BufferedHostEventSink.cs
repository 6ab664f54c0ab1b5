using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// Puts a worker's events through one ordered queue in front of another sink (the bus): events are handed to the inner
/// sink in the order they were given, retried with back-off until it takes them, so events raised while the broker is
/// down are published when it comes back, none lost. Publishes are pipelined: each event is handed over as soon as it
/// is queued, up to <see cref="HostEventBufferOptions.MaxInFlight"/> awaiting their confirmations, and each caller is
/// completed on its own confirmation (a step's result does not wait for the confirmations of the events before it, one
/// round each). The broker gets them in the order MassTransit hands them to its channel, the call order in practice;
/// a publish that fails is retried alone, after those already handed over, and nothing new starts until it is out (the
/// engine does not depend on the order: it consumes its queue concurrently and every event names its fact). During an
/// outage events go one at a time: once the oldest event handed over has gone unconfirmed for
/// <see cref="HostEventBufferOptions.StallAfter"/> (the broker is presumably away), nothing new is handed over until it
/// is out, so no later event overtakes it when the broker is back. <see cref="Reconnected"/> (the worker's queue is
/// consumed again) sends at once, in order, what waits in the transport's own reconnect back-off. <see cref="PublishAsync"/> waits until its event is out (a command's result is
/// acknowledged only once published); a caller that gives up leaves its event queued. After an outage,
/// <see cref="Recovered"/> fires once the first event is out again (the worker then reports every VM's jobs anew, so
/// an engine learns what it may have missed).
/// </summary>
public sealed class BufferedHostEventSink : IHostEventSink, IAsyncDisposable, IDisposable
{
    private readonly IHostEventSink _inner;
    private readonly HostEventBufferOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _generationGate = new();
    private CancellationTokenSource _generation = new();
    private int _attempting;
    private readonly Task _pump;
    private int _queued;
    private int _disposed;

    public BufferedHostEventSink(IHostEventSink inner, HostEventBufferOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _options = options ?? new HostEventBufferOptions();
        _options.Validate();
        _logger = logger ?? NullLogger.Instance;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Raised (on the pump) when an event was published after one or more failed attempts: the broker is back.</summary>
    public event Action? Recovered;

    /// <summary>
    /// Events given and not yet settled: published and taken out of the pump's window, which the pump does in order. A
    /// caller completes at its own confirmation, so this count trails the callers by a moment.
    /// </summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>True while the last attempt failed (the broker is away).</summary>
    public bool InOutage { get; private set; }

    /// <inheritdoc />
    public Task PublishAsync(HostEvent e, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var pending = new Pending(e, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _queued);
            throw new ObjectDisposedException(nameof(BufferedHostEventSink));
        }
        return pending.Done.Task.WaitAsync(ct);
    }

    /// <summary>
    /// The broker is reachable again (the worker's command queue is consumed again after a lost connection). A publish
    /// handed to the transport during the outage waits in the transport's own reconnect back-off, each on its own timer
    /// (MassTransit: up to 30 s), and would leave after newer events: the attempts under way are given up and made again
    /// at once, in order, and a retry delay of the buffer's own ends now. An attempt that did reach the broker is sent
    /// twice, with the same event id (the engine keeps one).
    /// </summary>
    public void Reconnected(string reason)
    {
        if (Volatile.Read(ref _disposed) == 1) return;
        CancellationTokenSource old;
        lock (_generationGate)
        {
            old = _generation;
            _generation = new CancellationTokenSource();
        }
        var attempting = Volatile.Read(ref _attempting);
        if (attempting > 0 || InOutage) Log.PublishResumed(_logger, reason, attempting);
        old.Cancel();
        old.Dispose();
    }

    private CancellationToken Generation
    {
        get
        {
            lock (_generationGate) return _generation.Token;
        }
    }

    /// <summary>Publishes what is queued for up to <see cref="HostEventBufferOptions.DrainTimeout"/>, then stops; the rest is dropped (logged).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _queue.Writer.TryComplete();
        try
        {
            await _pump.WaitAsync(_options.DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.EventsDropped(_logger, Queued);
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        while (_queue.Reader.TryRead(out var left)) left.Done.TrySetCanceled();
        _stop.Dispose();
        lock (_generationGate) _generation.Dispose();
    }

    /// <summary>As <see cref="DisposeAsync"/> (for containers disposed synchronously).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task PumpAsync()
    {
        var stop = _stop.Token;
        var inFlight = new Queue<InFlight>();
        while (true)
        {
            // Confirmed ones leave in order; a failed one is retried alone before anything new starts.
            while (inFlight.Count > 0 && inFlight.Peek().Attempt.IsCompleted) await SettleAsync(inFlight.Dequeue(), stop).ConfigureAwait(false);
            if (_queue.Reader.TryRead(out var next))
            {
                if (InOutage)
                {
                    while (inFlight.Count > 0) await SettleAsync(inFlight.Dequeue(), stop).ConfigureAwait(false);
                    await PublishOneAsync(next, stop).ConfigureAwait(false);
                    Interlocked.Decrement(ref _queued);
                    continue;
                }
                // A full window, or an oldest event unconfirmed for StallAfter (the broker is presumably away): the new one
                // waits until those before it are out, so it cannot overtake them when the broker is back.
                while (inFlight.Count > 0 && (inFlight.Count >= _options.MaxInFlight || Stalled(inFlight.Peek())))
                    await SettleAsync(inFlight.Dequeue(), stop).ConfigureAwait(false);
                inFlight.Enqueue(new InFlight(next, AttemptAsync(next, stop), _options.TimeProvider.GetTimestamp()));
                continue;
            }
            if (inFlight.Count == 0)
            {
                if (!await _queue.Reader.WaitToReadAsync(stop).ConfigureAwait(false)) return;
                continue;
            }
            // In flight, nothing queued: wake for a new event or for the oldest confirmation, whichever comes first.
            var readable = _queue.Reader.WaitToReadAsync(stop).AsTask();
            await Task.WhenAny(readable, inFlight.Peek().Attempt).ConfigureAwait(false);
            if (readable.IsCompleted && !await readable.ConfigureAwait(false))
            {
                while (inFlight.Count > 0) await SettleAsync(inFlight.Dequeue(), stop).ConfigureAwait(false);
                return;
            }
        }
    }

    private bool Stalled(InFlight oldest)
    {
        if (oldest.Attempt.IsCompleted) return false;
        var waited = _options.TimeProvider.GetElapsedTime(oldest.HandedOver);
        if (waited < _options.StallAfter) return false;
        Log.PublishStalled(_logger, oldest.Pending.Event.GetType().Name, oldest.Pending.Event.EventId, waited);
        return true;
    }

    /// <summary>The end of an event handed over in a window: done once confirmed, else published alone with retries.</summary>
    private async Task SettleAsync(InFlight sent, CancellationToken stop)
    {
        if (await sent.Attempt.ConfigureAwait(false) is not null) await PublishOneAsync(sent.Pending, stop).ConfigureAwait(false);
        Interlocked.Decrement(ref _queued);
    }

    /// <summary>
    /// One publish attempt (at most <see cref="HostEventBufferOptions.AttemptTimeout"/>): null once the inner sink took the
    /// event, or once the sink stopped (its caller is told either way, at once); else why it failed.
    /// </summary>
    private async Task<Exception?> AttemptAsync(Pending pending, CancellationToken stop)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop, Generation);
        attempt.CancelAfter(_options.AttemptTimeout);
        Interlocked.Increment(ref _attempting);
        try
        {
            // WaitAsync: an attempt ends at its timeout (or at Reconnected) even if the transport does not heed the token
            // (MassTransit has held a publish through an outage regardless of it); one that goes out later is a duplicate
            // with the same event id.
            await _inner.PublishAsync(pending.Event, attempt.Token).WaitAsync(attempt.Token).ConfigureAwait(false);
            pending.Done.TrySetResult();
            return null;
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            pending.Done.TrySetCanceled(stop);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
        finally
        {
            Interlocked.Decrement(ref _attempting);
        }
    }

    /// <summary>Publishes one event, retrying until it is out or the sink stops (then the event is given up, its caller told).</summary>
    private async Task PublishOneAsync(Pending pending, CancellationToken stop)
    {
        var delay = _options.RetryMinDelay;
        var failures = 0;
        while (true)
        {
            var generation = Generation;
            var failure = await AttemptAsync(pending, stop).ConfigureAwait(false);
            if (failure is null)
            {
                if (InOutage && pending.Done.Task.IsCompletedSuccessfully)
                {
                    InOutage = false;
                    Log.PublishRecovered(_logger, pending.Event.GetType().Name, pending.Event.EventId, Queued - 1);
                    RaiseRecovered();
                }
                return;
            }
            if (!InOutage || failures == 0) Log.PublishRetrying(_logger, pending.Event.GetType().Name, pending.Event.EventId, Queued, failure.Message);
            InOutage = true;
            failures++;
            if (generation.IsCancellationRequested)
            {
                delay = _options.RetryMinDelay; // the broker is back: again at once
                continue;
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop, Generation);
            try
            {
                await Task.Delay(delay, _options.TimeProvider, wait.Token).ConfigureAwait(false);
                delay = delay * 2 < _options.RetryMaxDelay ? delay * 2 : _options.RetryMaxDelay;
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                delay = _options.RetryMinDelay;
            }
            catch (OperationCanceledException)
            {
                pending.Done.TrySetCanceled(stop);
                return;
            }
        }
    }

    private void RaiseRecovered()
    {
        try
        {
            Recovered?.Invoke();
        }
        catch (Exception ex)
        {
            Log.RecoveredHandlerFailed(_logger, ex);
        }
    }

    private sealed record Pending(HostEvent Event, TaskCompletionSource Done);

    /// <summary>An event handed to the inner sink, its attempt, and when it was handed over (a timestamp of the options' clock).</summary>
    private readonly record struct InFlight(Pending Pending, Task<Exception?> Attempt, long HandedOver);
}
