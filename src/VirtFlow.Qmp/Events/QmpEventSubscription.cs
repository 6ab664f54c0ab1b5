using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace VirtFlow.Qmp;

/// <summary>
/// One listener's bounded queue of events. Subscribe BEFORE issuing the command whose events you await, or pass
/// <c>replayAfter</c>: QEMU may emit them before your code starts waiting. Dispose to stop listening.
/// When the connection ends, queued events are still delivered, then readers get <see cref="QmpException"/>
/// (<see cref="QmpErrorClasses.Disconnected"/>); a listener that let its queue overflow gets
/// <see cref="QmpErrorClasses.EventsLost"/>.
/// </summary>
public sealed class QmpEventSubscription : IDisposable
{
    private readonly QmpEventHub _hub;
    private readonly Func<QmpEvent, bool>? _filter;
    private readonly Channel<QmpEvent> _channel;
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private int _closed;

    internal QmpEventSubscription(QmpEventHub hub, Func<QmpEvent, bool>? filter, int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _hub = hub;
        _filter = filter;
        _capacity = capacity;
        _time = time;
        _channel = Channel.CreateBounded<QmpEvent>(new BoundedChannelOptions(capacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The raw queue, for callers that want <see cref="ChannelReader{T}"/> semantics.</summary>
    public ChannelReader<QmpEvent> Reader => _channel.Reader;

    /// <summary>Every queued and future matching event until disposed (ends) or the connection ends (throws).</summary>
    public async IAsyncEnumerable<QmpEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            while (_channel.Reader.TryRead(out var evt))
                yield return evt;
    }

    /// <summary>
    /// Consumes queued events until one satisfies <paramref name="match"/> (null: the next one) and returns it.
    /// Throws <see cref="QmpException"/> with <see cref="QmpErrorClasses.Timeout"/> after <paramref name="timeout"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/> for none), <see cref="QmpErrorClasses.Disconnected"/> when the connection
    /// ended, and <see cref="ObjectDisposedException"/> when this subscription was disposed.
    /// </summary>
    public async Task<QmpEvent> WaitAsync(Func<QmpEvent, bool>? match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timeoutCts = timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout, _time);
        using var linked = timeoutCts is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var token = linked?.Token ?? cancellationToken;
        try
        {
            while (await _channel.Reader.WaitToReadAsync(token).ConfigureAwait(false))
                while (_channel.Reader.TryRead(out var evt))
                    if (match is null || match(evt))
                        return evt;
        }
        catch (OperationCanceledException) when (timeoutCts?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            throw new QmpException(QmpErrorClasses.Timeout, $"no matching event within {timeout.TotalSeconds:0.###} s");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
        throw new ObjectDisposedException(nameof(QmpEventSubscription));
    }

    /// <summary>Stops listening; a reader waiting now ends normally.</summary>
    public void Dispose()
    {
        _hub.Remove(this);
        Close(null);
    }

    /// <summary>Called by the hub under its lock.</summary>
    internal void Offer(QmpEvent evt)
    {
        if (Volatile.Read(ref _closed) == 1) return;
        bool wanted;
        try
        {
            wanted = _filter is null || _filter(evt);
        }
        catch (Exception e)
        {
            _hub.ReportFilterFailed(e);
            _hub.Remove(this);
            Close(e);
            return;
        }
        if (!wanted || _channel.Writer.TryWrite(evt)) return;
        _hub.ReportLost(_capacity, evt);
        _hub.Remove(this);
        Close(new QmpException(QmpErrorClasses.EventsLost,
            $"this listener fell behind: {_capacity} events queued unread, so event {evt.Name} #{evt.Sequence} could not be delivered"));
    }

    internal void Close(Exception? error)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1) return;
        _channel.Writer.TryComplete(error);
    }
}
