using MassTransit;

namespace VirtFlow.Hosting.Messaging.Identity;

/// <summary>
/// Sets RabbitMQ's <c>user_id</c> property of every message this process sends or publishes to its connection's user. The
/// broker refuses a <c>user_id</c> that is not the connection's user, so on the receiving side the property names the sender
/// for certain (<see cref="HostEventSenders"/>).
/// </summary>
public sealed class RabbitMqUserIdFilter(string user) : IFilter<SendContext>
{
    public Task Send(SendContext context, IPipe<SendContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit)) rabbit.BasicProperties.UserId = user;
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context?.CreateFilterScope("rabbitMqUserId");
}
