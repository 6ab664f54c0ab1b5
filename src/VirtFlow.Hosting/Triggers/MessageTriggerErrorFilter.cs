using System.Text.Json;
using MassTransit;
using MassTransit.RabbitMqTransport;
using MassTransit.Transports;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Storage.Triggers;

namespace VirtFlow.Hosting.Triggers;

/// <summary>
/// The error pipe of a trigger's endpoint: every message that starts nothing (not JSON, not an object, too large, an
/// unknown field, a wrong type, a failed mapping, a refused start) is counted, logged (fields escaped and bounded) and
/// moved to <c>virtflow.msg.{messageType}_error</c> with the reason in <see cref="MessageTriggerNames.ReasonHeader"/> (and
/// <c>MT-Fault-Message</c>), never a stack trace. On RabbitMQ the server publishes the copy itself, without the producer's
/// <c>user_id</c> (the broker refuses a user_id that is not the connection's own); elsewhere MassTransit's error transport.
/// </summary>
internal sealed class MessageTriggerErrorFilter(string messageType, IMessageDedupeStore counts, ILogger logger) : IFilter<ExceptionReceiveContext>
{
    public void Probe(ProbeContext context) => context.CreateFilterScope("virtflowTriggerError");

    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        var reason = Reason(context.Exception, context.GetBody());
        Log.MessageRejected(logger, messageType, reason);
        try
        {
            await counts.CountMessageAsync(messageType, MessageOutcome.Rejected, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.CountFailed(logger, messageType, TerminalText.Safe(e.Message, 200));
        }
        if (context.TryGetPayload(out ChannelContext? channel) && context.TryGetPayload(out RabbitMqBasicConsumeContext? delivery))
        {
            await MoveAsync(context, channel, delivery, reason).ConfigureAwait(false);
        }
        else
        {
            context.ExceptionHeaders.Set(MessageTriggerNames.ReasonHeader, reason);
            context.ExceptionHeaders.Set(MessageHeaders.FaultMessage, reason);
            context.ExceptionHeaders.Set(MessageHeaders.FaultStackTrace, null);
            if (!context.TryGetPayload(out IErrorTransport? transport)) throw new TransportException(context.InputAddress, "no error transport");
            await transport.Send(context).ConfigureAwait(false);
        }
        await next.Send(context).ConfigureAwait(false);
    }

    private async Task MoveAsync(ExceptionReceiveContext context, ChannelContext channel, RabbitMqBasicConsumeContext delivery, string reason)
    {
        var error = MessageTriggerNames.ErrorQueue(messageType);
        var ct = context.CancellationToken;
        await channel.ExchangeDeclare(error, ExchangeType.Fanout, true, false, new Dictionary<string, object>(), ct).ConfigureAwait(false);
        await channel.QueueDeclare(error, true, false, false, new Dictionary<string, object>(), ct).ConfigureAwait(false);
        await channel.QueueBind(error, error, "", new Dictionary<string, object>(), ct).ConfigureAwait(false);
        var properties = new BasicProperties(delivery.Properties) { UserId = null, Expiration = null };
        var headers = properties.Headers is null
            ? new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, object?>(properties.Headers, StringComparer.OrdinalIgnoreCase);
        headers[MessageTriggerNames.ReasonHeader] = reason;
        headers[MessageHeaders.Reason] = "fault";
        headers[MessageHeaders.FaultMessage] = reason;
        headers[MessageHeaders.FaultInputAddress] = context.InputAddress?.ToString();
        headers[MessageHeaders.FaultTimestamp] = context.ExceptionTimestamp.ToString("O");
        if (delivery.Properties.UserId is { Length: > 0 } user) headers["virtflow-user-id"] = user;
        properties.Headers = headers;
        await channel.BasicPublishAsync(error, "", true, properties, context.GetBody(), true, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// One line, at most 500 characters, escaped: the rejection's own reason; when MassTransit could not read the body
    /// (before the consumer), what the consumer's own check says of it (not JSON, not an object).
    /// </summary>
    internal static string Reason(Exception exception, byte[] body)
    {
        var text = exception switch
        {
            MessageRejectedException r => r.Message,
            _ when OwnCheck(body) is { } own => own,
            _ when Find<JsonException>(exception) is { } json => $"the message is not valid JSON or not an object: {json.Message}",
            _ => $"the message cannot be read: {exception.GetBaseException().Message}",
        };
        return TerminalText.Safe(text.ReplaceLineEndings(" "), 500);
    }

    private static string? OwnCheck(byte[] body)
    {
        try
        {
            MessageInputs.Parse(body, int.MaxValue);
            return null;
        }
        catch (MessageRejectedException e)
        {
            return e.Message;
        }
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }
        return null;
    }
}
