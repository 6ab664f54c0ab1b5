using MassTransit;
using Microsoft.Extensions.Logging;
using VirtFlow.Activities.Vm.Messaging;
using VirtFlow.Contracts;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Http.Hosts;
using VirtFlow.Hosting.Messaging.Identity;

namespace VirtFlow.Hosting.Messaging;

/// <summary>
/// Hands a host event to the engine: <see cref="HostMessageJson.ToEnvelope"/> (id = <see cref="HostEvent.EventId"/>, its key,
/// the event as payload), then <see cref="WorkflowEngine.PublishEventAsync"/>. A duplicate (a re-sent result, a fact
/// reported again after a reconnect) is dropped by the engine's inbox. An exception makes MassTransit retry. Once the
/// <see cref="HostEventGate"/> is closed (an embedded process stopping its own worker) events are dropped, so a
/// "worker stopping" answer never faults a step. An event whose RabbitMQ <c>user_id</c> is not the worker user of its host
/// (<see cref="HostEventSenders"/>: a forged result or event) is dropped and logged, one line. A worker's report of itself
/// (online, heartbeat, offline) is kept in the hosts table (<see cref="HostReports"/>); a result this server waits for itself
/// is handed to <see cref="HostReplies"/> too.
/// </summary>
/// <typeparam name="TEvent">One concrete host event type (MassTransit needs one consumer per message type).</typeparam>
[ExcludeFromConfigureEndpoints]
public sealed class HostEventConsumer<TEvent>(WorkflowEngine engine, HostEventGate gate, HostEventSenders senders, IWorkflowStore store, HostReplies replies,
    ILogger<HostEventConsumer<TEvent>> logger)
    : IConsumer<TEvent>
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
        if (senders.IsEnforced && HostEventSenders.UserIdOf(context) is var userId && !senders.Accepts(hostEvent.HostId, userId))
        {
            Log.HostEventForged(logger, typeof(TEvent).Name, Printable.Bounded(hostEvent.EventId), Printable.Bounded(hostEvent.HostId),
                Printable.Bounded(userId, 64), Printable.Bounded(senders.ExpectedUser(hostEvent.HostId ?? ""), 64));
            return;
        }
        // A worker's own report goes to the hosts table; a heartbeat goes nowhere else (nothing waits for it).
        if (HostReports.IsWorkerReport(hostEvent)) await HostReports.RecordAsync(store, hostEvent, context.CancellationToken).ConfigureAwait(false);
        if (hostEvent is WorkerHeartbeat) return;
        if (hostEvent is CommandResult result) replies.Deliver(result);
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
