using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace VirtFlow.Hosting.Tests.Security;

/// <summary>
/// Plain AMQP as an attacker would use it (no MassTransit): publishes and consumes with a role's login and reports what
/// the broker answered.
/// </summary>
internal static class RawAmqp
{
    /// <summary>
    /// Publishes <paramref name="body"/> to <paramref name="exchange"/> (with <paramref name="userId"/> as <c>user_id</c>) and
    /// waits for the broker's confirmation: null when it took the message, else why it closed the channel
    /// (<c>403 ACCESS_REFUSED - ...</c>, <c>406 PRECONDITION_FAILED - ...</c>).
    /// </summary>
    public static async Task<string?> PublishAsync(Uri login, string exchange, string routingKey = "", string? userId = null, string body = "{}")
    {
        await using var connection = await Factory(login).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json" };
        if (userId is not null) properties.UserId = userId;
        try
        {
            await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, properties, Encoding.UTF8.GetBytes(body)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            return channel.CloseReason is { } closed ? Describe(closed) : null;
        }
        catch (OperationInterruptedException e)
        {
            return e.ShutdownReason is { } reason ? Describe(reason) : e.Message;
        }
        catch (PublishException e)
        {
            return channel.CloseReason is { } closed ? Describe(closed) : e.Message;
        }
    }

    /// <summary>Starts consuming <paramref name="queue"/>: null when the broker let it, else why it closed the channel.</summary>
    public static async Task<string?> ConsumeAsync(Uri login, string queue)
    {
        await using var connection = await Factory(login).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.BasicConsumeAsync(queue, autoAck: false, new AsyncEventingBasicConsumer(channel)).WaitAsync(TimeSpan.FromSeconds(30));
            return null;
        }
        catch (OperationInterruptedException e)
        {
            return e.ShutdownReason is { } reason ? Describe(reason) : e.Message;
        }
    }

    /// <summary>The body of the next message of <paramref name="queue"/> (acknowledged), or null when it is empty.</summary>
    public static async Task<string?> GetAsync(Uri login, string queue)
    {
        await using var connection = await Factory(login).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var result = await channel.BasicGetAsync(queue, autoAck: true);
        return result is null ? null : Encoding.UTF8.GetString(result.Body.Span);
    }

    private static ConnectionFactory Factory(Uri login) => new() { Uri = login, AutomaticRecoveryEnabled = false };

    private static string Describe(ShutdownEventArgs reason) => $"{reason.ReplyCode} {reason.ReplyText}";
}
