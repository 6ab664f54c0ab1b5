using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace VirtFlow.Engine.Runtime.Events;

/// <summary>Fans live events out to the <c>EventRaised</c> handlers and to bounded per-subscriber channels.</summary>
internal sealed class EngineEventHub(ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly List<Channel<EngineEvent>> _channels = [];

    public event Action<EngineEvent>? Raised;

    public void Publish(EngineEvent e)
    {
        var handlers = Raised;
        if (handlers is not null)
        {
            foreach (var handler in Delegate.EnumerateInvocationList(handlers))
            {
                try
                {
                    handler(e);
                }
                catch (Exception ex)
                {
                    Log.EventHandlerFailed(logger, ex, e.GetType().Name, e.InstanceId);
                }
            }
        }
        lock (_gate)
        {
            foreach (var channel in _channels) channel.Writer.TryWrite(e);
        }
    }

    public async IAsyncEnumerable<EngineEvent> SubscribeAsync(Func<EngineEvent, bool>? filter, int capacity, [EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateBounded<EngineEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate) _channels.Add(channel);
        try
        {
            while (true)
            {
                EngineEvent e;
                try
                {
                    if (!await channel.Reader.WaitToReadAsync(ct).ConfigureAwait(false)) yield break;
                    if (!channel.Reader.TryRead(out e!)) continue;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    yield break;
                }
                if (filter is null || filter(e)) yield return e;
            }
        }
        finally
        {
            lock (_gate) _channels.Remove(channel);
        }
    }
}
