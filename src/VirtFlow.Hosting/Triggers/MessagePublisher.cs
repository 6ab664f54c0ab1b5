using System.Net.Security;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using VirtFlow.Engine.Definitions.Triggers;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Messaging.Identity;

namespace VirtFlow.Hosting.Triggers;

/// <summary>
/// Publishes one message to a trigger's exchange exactly as any AMQP producer would (<c>virtflow publish</c>): the raw
/// JSON body, <c>content_type</c> application/json, persistent, <c>user_id</c> the connection's user (the broker checks it),
/// and the given <c>message_id</c> and <c>correlation_id</c>; it returns once the broker confirmed the message. It declares
/// nothing, so a producer user needs write permission on <c>virtflow.msg.*</c> only.
/// </summary>
public static class MessagePublisher
{
    /// <exception cref="MessagePublishException">The broker cannot be reached, has no such exchange, or refused the message (one line).</exception>
    public static async Task PublishAsync(RabbitMqBusTransport transport, string messageType, ReadOnlyMemory<byte> body, string? messageId,
        string? correlationId, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (MessageTriggerSettings.Problem(messageType) is { } problem) throw new ArgumentException(problem, nameof(messageType));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var (user, password) = transport.Credentials;
        var uri = new UriBuilder(transport.Uri) { UserName = "", Password = "" };
        uri.Scheme = transport.UsesTls ? "amqps" : "amqp";
        var factory = new ConnectionFactory
        {
            Uri = uri.Uri,
            UserName = user ?? ConnectionFactory.DefaultUser,
            Password = password ?? ConnectionFactory.DefaultPass,
            ClientProvidedName = "virtflow publish",
            RequestedConnectionTimeout = timeout,
        };
        if (transport.UsesTls)
        {
            var roots = transport.CaFile is { } file ? RabbitMqTls.LoadCa(file) : null;
            factory.Ssl = new SslOption
            {
                Enabled = true,
                ServerName = transport.Uri.Host,
                CertificateValidationCallback = (_, certificate, _, errors) => roots is null
                    ? errors == SslPolicyErrors.None
                    : RabbitMqTls.Validate(certificate, errors, roots, transport.CaFile!) is null,
            };
        }
        var exchange = MessageTriggerNames.Queue(messageType);
        try
        {
            await using var connection = await factory.CreateConnectionAsync(limit.Token).ConfigureAwait(false);
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), limit.Token).ConfigureAwait(false);
            var properties = new BasicProperties
            {
                ContentType = "application/json",
                DeliveryMode = DeliveryModes.Persistent,
                MessageId = messageId,
                CorrelationId = correlationId,
                UserId = factory.UserName,
            };
            await channel.BasicPublishAsync(exchange, "", true, properties, body, limit.Token).ConfigureAwait(false);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            throw new MessagePublishException($"the broker has no exchange {exchange}: no server has bound the message type {messageType} yet (publish a workflow with this trigger)", e);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 403)
        {
            throw new MessagePublishException($"the broker refused user '{factory.UserName}' to publish to {exchange}: {e.ShutdownReason.ReplyText}", e);
        }
        catch (PublishReturnException e)
        {
            throw new MessagePublishException($"the broker had no queue for {exchange}: {e.ReplyText}", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new MessagePublishException($"the broker at {transport} did not confirm within {timeout.TotalSeconds:0} s", e);
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or PublishException)
        {
            throw new MessagePublishException($"the broker at {transport}: {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")}", e);
        }
    }
}
