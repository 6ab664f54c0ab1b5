using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace VirtFlow.HostWorker.Messaging;

/// <summary>
/// Watches the host's command queue: each time its consumer is ready again after the first time (the connection to
/// the broker was lost and is back), the events waiting from the outage are sent again at once, in order
/// (<see cref="BufferedHostEventSink.Reconnected"/>), and the worker reports every VM's jobs anew, so an engine learns what it missed even
/// when no event failed to go out meanwhile; when it is stopping, <see cref="HostQueueStopping"/> is set (the commands the
/// stopping worker gave back go back to the queue). The worker is resolved when needed: it depends on the bus, which is
/// being built when observers are.
/// </summary>
public sealed class HostQueueReadyObserver(IServiceProvider services, string queue) : IReceiveEndpointObserver
{
    private int _readies;

    public Task Ready(ReceiveEndpointReady ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (IsHostQueue(ready.InputAddress) && Interlocked.Increment(ref _readies) > 1)
        {
            // First what waits from the outage (in order), then the fresh snapshots behind it.
            var reason = $"queue {queue} is consumed again";
            services.GetService<BufferedHostEventSink>()?.Reconnected(reason);
            services.GetRequiredService<HostWorker>().ReportAgain(reason);
        }
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        ArgumentNullException.ThrowIfNull(stopping);
        if (IsHostQueue(stopping.InputAddress)) services.GetRequiredService<HostQueueStopping>().Set();
        return Task.CompletedTask;
    }

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    private bool IsHostQueue(Uri address) =>
        address.AbsolutePath.TrimEnd('/').EndsWith("/" + queue, StringComparison.Ordinal);
}
