using MassTransit;
using VirtFlow.Contracts;

namespace VirtFlow.HostWorker.Messaging;

/// <summary>Publishes the worker's events on the bus, each as its concrete type (so consumers of <c>JobStatusChanged</c> get it).</summary>
public sealed class MassTransitHostEventSink(IPublishEndpoint publishEndpoint) : IHostEventSink
{
    public Task PublishAsync(HostEvent e, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        return publishEndpoint.Publish(e, e.GetType(), ct);
    }
}
