using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>What the broker says about one queue, asked over plain AMQP (a passive declare; a peek that puts the message back).</summary>
internal static class BrokerQueue
{
    /// <summary>The ready messages and the consumers of <paramref name="queue"/>; null when it does not exist.</summary>
    public static async Task<(uint Messages, uint Consumers)?> StateAsync(Uri rabbitMq, string queue)
    {
        await using var connection = await Factory(rabbitMq).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue);
            return (ok.MessageCount, ok.ConsumerCount);
        }
        catch (OperationInterruptedException)
        {
            return null;
        }
    }

    /// <summary>
    /// The <c>expiration</c> (per-message time-to-live, in ms) of the first message of <paramref name="queue"/>, which goes
    /// back to the queue at once (its time-to-live keeps running from its publication); null when the queue is empty.
    /// </summary>
    public static async Task<string?> PeekExpirationAsync(Uri rabbitMq, string queue)
    {
        await using var connection = await Factory(rabbitMq).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var got = await channel.BasicGetAsync(queue, autoAck: false);
        if (got is null) return null;
        await channel.BasicNackAsync(got.DeliveryTag, multiple: false, requeue: true);
        return got.BasicProperties.Expiration;
    }

    private static ConnectionFactory Factory(Uri rabbitMq) => new() { Uri = rabbitMq, AutomaticRecoveryEnabled = false };
}
