using System.Text;
using RabbitMQ.Client;

namespace VirtFlow.Api.Tests.Triggers;

/// <summary>A plain AMQP client (RabbitMQ.Client, no MassTransit): publishes raw JSON to a trigger's exchange and reads its error queue.</summary>
internal sealed class TriggerBroker : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private TriggerBroker(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<TriggerBroker> ConnectAsync(Uri amqp)
    {
        var connection = await new ConnectionFactory { Uri = amqp }.CreateConnectionAsync();
        return new TriggerBroker(connection, await connection.CreateChannelAsync());
    }

    /// <summary>Publishes <paramref name="body"/> to the exchange <c>virtflow.msg.{messageType}</c>.</summary>
    public async Task PublishAsync(string messageType, string body, string? messageId = null, string? correlationId = null)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = messageId,
            CorrelationId = correlationId,
        };
        await _channel.BasicPublishAsync($"virtflow.msg.{messageType}", "", false, properties, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>The next message of <paramref name="queue"/> (body, headers as text), or null when it is empty.</summary>
    public async Task<(string Body, IReadOnlyDictionary<string, string> Headers)?> GetAsync(string queue)
    {
        // A channel of its own: reading a queue that does not exist yet closes the channel.
        await using var channel = await _connection.CreateChannelAsync();
        BasicGetResult? got;
        try
        {
            got = await channel.BasicGetAsync(queue, autoAck: true);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
        if (got is null) return null;
        var headers = (got.BasicProperties.Headers ?? new Dictionary<string, object?>())
            .ToDictionary(kv => kv.Key, kv => kv.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : kv.Value?.ToString() ?? "");
        return (Encoding.UTF8.GetString(got.Body.Span), headers);
    }

    /// <summary>How many consumers read <paramref name="queue"/> (0 when the queue does not exist).</summary>
    public async Task<uint> ConsumersAsync(string queue)
    {
        await using var probe = await _connection.CreateChannelAsync();
        try
        {
            return (await probe.QueueDeclarePassiveAsync(queue)).ConsumerCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
