using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using VirtFlow.Activities.Vm.Messaging;
using VirtFlow.Contracts;
using VirtFlow.Engine.Runtime.Outbox;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Messaging;

/// <summary>
/// Sends the engine's outbox rows over MassTransit. A host command (its message type is a contract name,
/// <see cref="HostMessageJson.CommandTypes"/>) becomes the typed <see cref="HostCommand"/> (its <c>CommandId</c> the
/// outbox id, its <c>HostId</c> the destination) and is sent to <c>queue:virtflow-host-{destination}</c>; any other message
/// goes as a <see cref="WorkflowMessage"/> to <c>queue:{destination}</c> (on RabbitMQ the host queue's address carries its
/// single-active-consumer argument: <see cref="VirtFlowBus.HostCommandAddress"/>). The broker message id is derived from the
/// outbox id, so a re-send carries the same ids. A host command whose payload does not fit its contract is answered
/// at once with a failed <see cref="CommandResult"/> (<see cref="HostErrorClasses.BadRequest"/>), published like a
/// worker's, so the waiting step faults with the reason instead of waiting for a reply that cannot come. A command whose
/// step waits for its reply expires in the broker after the step's <c>commandTimeout</c> (<see cref="TimeToLive"/>).
/// </summary>
public sealed class MassTransitOutboxTransport(IBus bus, VirtFlowBusBuilder setup, TimeProvider clock, ILogger<MassTransitOutboxTransport> logger) : IOutboxTransport
{
    /// <inheritdoc />
    /// <exception cref="TimeoutException">The broker did not take the message within <see cref="VirtFlowBusBuilder.SendTimeout"/>.</exception>
    public async Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(setup.SendTimeout);
        try
        {
            if (HostMessageJson.CommandTypes.ContainsKey(message.MessageType))
                await SendCommandAsync(message, limit.Token).ConfigureAwait(false);
            else
                await SendMessageAsync(message, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"the bus did not take {message.MessageType} {message.Id} for '{message.Destination}' within {setup.SendTimeout.TotalSeconds:0}s");
        }
    }

    private async Task SendCommandAsync(OutboxMessage message, CancellationToken ct)
    {
        HostCommand command;
        try
        {
            command = HostMessageJson.FromPayload(message.MessageType, message.Payload, message.Id, message.Destination);
        }
        catch (JsonException ex)
        {
            await RejectAsync(message, ex.Message, ct).ConfigureAwait(false);
            return;
        }
        if (command.InstanceId is null) command = command with { InstanceId = message.InstanceId };
        if (command.IssuedAt == default) command = command with { IssuedAt = message.CreatedAt == default ? clock.GetUtcNow() : message.CreatedAt };
        var address = VirtFlowBus.HostCommandAddress(setup.Transport, message.Destination);
        var endpoint = await bus.GetSendEndpoint(address).ConfigureAwait(false);
        await endpoint.Send(command, command.GetType(), WithMessageId(message.Id, TimeToLive(command)), ct).ConfigureAwait(false);
        Log.CommandSent(logger, message.MessageType, message.Id, message.InstanceId, address);
    }

    private async Task SendMessageAsync(OutboxMessage message, CancellationToken ct)
    {
        var address = VirtFlowBus.QueueAddress(message.Destination);
        var endpoint = await bus.GetSendEndpoint(address).ConfigureAwait(false);
        await endpoint.Send(new WorkflowMessage
        {
            MessageId = message.Id,
            Destination = message.Destination,
            MessageType = message.MessageType,
            PayloadJson = message.Payload.ToJsonString(),
            InstanceId = message.InstanceId,
            CreatedAt = message.CreatedAt,
        }, WithMessageId(message.Id), ct).ConfigureAwait(false);
        Log.MessageSent(logger, message.MessageType, message.Id, message.InstanceId, address);
    }

    /// <summary>Answers a command that cannot be read with a failed result, published like a worker's.</summary>
    private async Task RejectAsync(OutboxMessage message, string error, CancellationToken ct)
    {
        Log.CommandRejected(logger, message.MessageType, message.Id, message.Destination, error);
        var vm = message.Payload["vm"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out string? name) ? name : "";
        await bus.Publish(new CommandResult
        {
            EventId = $"{message.Destination}/result/{message.Id}",
            HostId = message.Destination,
            At = clock.GetUtcNow(),
            CommandId = message.Id,
            Vm = vm,
            Success = false,
            CommandType = message.MessageType,
            ErrorClass = HostErrorClasses.BadRequest,
            Error = $"{message.MessageType} {message.Id} does not fit its contract: {error}",
        }, ct).ConfigureAwait(false);
    }

    private static IPipe<SendContext> WithMessageId(string outboxId, TimeSpan? timeToLive = null)
    {
        var id = MessageIds.From(outboxId);
        return Pipe.Execute<SendContext>(context =>
        {
            context.MessageId = id;
            if (timeToLive is { } ttl) context.TimeToLive = ttl;
        });
    }

    /// <summary>
    /// A command's time-to-live in the broker: the step's <c>commandTimeout</c> (<see cref="HostCommand.ReplyWithin"/>), never
    /// less, plus <see cref="TimeToLiveMargin"/>; none for a command nobody waits for (a compensation runs whenever a
    /// worker comes).
    /// </summary>
    internal static TimeSpan? TimeToLive(HostCommand command) =>
        command.ReplyWithin is { } within && within > TimeSpan.Zero ? within + TimeToLiveMargin : null;

    /// <summary>Added to a command's time-to-live so clock differences never make it shorter than the step's wait.</summary>
    internal static readonly TimeSpan TimeToLiveMargin = TimeSpan.FromSeconds(5);
}
