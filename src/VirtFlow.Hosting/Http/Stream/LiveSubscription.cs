using System.Threading.Channels;

namespace VirtFlow.Hosting.Http.Stream;

/// <summary>
/// One client's bounded buffer, filled by the server's one reader (<see cref="LiveFeed"/>) and emptied by the client's
/// connection. A full buffer drops the client (<see cref="DroppedReason"/>): the reader never waits.
/// </summary>
internal sealed class LiveSubscription(string? instanceId, int capacity, long position) : IDisposable
{
    private readonly Channel<LiveFrame> _events = Channel.CreateBounded<LiveFrame>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>The instance it follows, or null for all.</summary>
    public string? InstanceId { get; } = instanceId;

    /// <summary>The reader's position when it subscribed: later events come through the buffer, earlier ones from the store.</summary>
    public long Position { get; } = position;

    /// <summary>Why it was dropped, or null.</summary>
    public string? DroppedReason { get; private set; }

    internal Action<LiveSubscription>? OnDispose { get; set; }

    public ChannelReader<LiveFrame> Events => _events.Reader;

    /// <summary>Hands an event to the client without waiting; false (and dropped) when its buffer is full.</summary>
    internal bool Offer(LiveFrame e)
    {
        if (InstanceId is not null && InstanceId != e.InstanceId) return true;
        if (_events.Writer.TryWrite(e)) return true;
        DroppedReason = $"the client fell behind: {capacity} events unread";
        _events.Writer.TryComplete();
        return false;
    }

    public void Dispose()
    {
        _events.Writer.TryComplete();
        OnDispose?.Invoke(this);
    }
}
