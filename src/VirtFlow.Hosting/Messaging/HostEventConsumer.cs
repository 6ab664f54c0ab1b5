using MassTransit;
using Microsoft.Extensions.Logging;
using VirtFlow.Activities.Vm.Messaging;
using VirtFlow.Contracts;
using VirtFlow.Engine.Runtime;

namespace VirtFlow.Hosting.Messaging;

/// <summary>
/// Hands a host event to the engine: <see cref="HostMessageJson.ToEnvelope"/> (id = <see cref="HostEvent.EventId"/>, its key,
/// the event as payload), then <see cref="WorkflowEngine.PublishEventAsync"/>. A duplicate (a re-sent result, a fact
/// reported again after a reconnect) is dropped by the engine's inbox. An exception makes MassTransit retry. Once the
/// <see cref="HostEventGate"/> is closed (an embedded process stopping its own worker) events are dropped, so a
/// "worker stopping" answer never faults a step.
/// </summary>
/// <typeparam name="TEvent">One concrete host event type (MassTransit needs one consumer per message type).</typeparam>
[ExcludeFromConfigureEndpoints]
public sealed class HostEventConsumer<TEvent>(WorkflowEngine engine, HostEventGate gate, ILogger<HostEventConsumer<TEvent>> logger) : IConsumer<TEvent>
    where TEvent : HostEvent
{
    public async Task Consume(ConsumeContext<TEvent> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var hostEvent = context.Message;
        if (!gate.IsOpen)
        {
            Log.HostEventDropped(logger, typeof(TEvent).Name, hostEvent.EventId);
            return;
        }
        EventEnvelope envelope;
        try
        {
            envelope = HostMessageJson.ToEnvelope(hostEvent);
        }
        catch (NotSupportedException)
        {
            Log.HostEventIgnored(logger, typeof(TEvent).Name, hostEvent.EventId);
            return;
        }
        var added = await engine.PublishEventAsync(envelope, context.CancellationToken).ConfigureAwait(false);
        Log.HostEventDelivered(logger, typeof(TEvent).Name, hostEvent.EventId, envelope.Key, added);
    }
}
