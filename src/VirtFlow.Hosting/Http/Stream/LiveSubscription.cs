using System.Threading.Channels;

namespace VirtFlow.Hosting.Http.Stream;

/// <summary>
/// One client's buffer, filled by the server's one reader (<see cref="LiveFeed"/>) a batch at a time (what one read of
/// the journal gave) and emptied by the client's connection, which writes a batch and flushes once. More than
/// <c>capacity</c> events unread drops the client (<see cref="DroppedReason"/>): the reader never waits. A client with
/// nothing unread takes a whole batch, however large.
/// </summary>
internal sealed class LiveSubscription(string? instanceId, int capacity, long position) : IDisposable
{
    private readonly Channel<IReadOnlyList<LiveFrame>> _batches = Channel.CreateUnbounded<IReadOnlyList<LiveFrame>>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = true,
    });
    private int _unread;

    /// <summary>The instance it follows, or null for all.</summary>
    public string? InstanceId { get; } = instanceId;

    /// <summary>The reader's position when it subscribed: later events come through the buffer, earlier ones from the store.</summary>
    public long Position { get; } = position;

    /// <summary>Why it was dropped, or null.</summary>
    public string? DroppedReason { get; private set; }

    internal Action<LiveSubscription>? OnDispose { get; set; }

    /// <summary>Batches of events, in order; <see cref="Read"/> after writing each.</summary>
    public ChannelReader<IReadOnlyList<LiveFrame>> Batches => _batches.Reader;

    /// <summary>Events given and not yet marked read.</summary>
    public int Unread => Volatile.Read(ref _unread);

    /// <summary>Hands a batch to the client (the events of its instance, or all) without waiting; false (and dropped) when it would hold more than its capacity unread (a client with nothing unread takes the whole batch).</summary>
    internal bool Offer(IReadOnlyList<LiveFrame> batch)
    {
        IReadOnlyList<LiveFrame> mine = InstanceId is null ? batch : [.. batch.Where(e => e.InstanceId == InstanceId)];
        if (mine.Count == 0) return true;
        var unread = Volatile.Read(ref _unread);
        var room = capacity - unread;
        // A client that has written everything it was given takes a whole read, however large: a read bigger than the
        // buffer comes from the reader's own pace (a backlog after a pause), not from a client that fell behind.
        if (mine.Count > room && unread > 0)
        {
            // What fits is still given (the client resumes after the last event it wrote), then it is dropped.
            if (room > 0)
            {
                Interlocked.Add(ref _unread, room);
                _batches.Writer.TryWrite([.. mine.Take(room)]);
            }
            DroppedReason = $"the client fell behind: {capacity} events unread";
            _batches.Writer.TryComplete();
            return false;
        }
        Interlocked.Add(ref _unread, mine.Count);
        _batches.Writer.TryWrite(mine);
        return true;
    }

    /// <summary>The client's connection wrote <paramref name="count"/> events.</summary>
    public void Read(int count) => Interlocked.Add(ref _unread, -count);

    public void Dispose()
    {
        _batches.Writer.TryComplete();
        OnDispose?.Invoke(this);
    }
}
