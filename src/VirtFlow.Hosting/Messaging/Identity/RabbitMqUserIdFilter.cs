using MassTransit;

namespace VirtFlow.Hosting.Messaging.Identity;

/// <summary>
/// Sets RabbitMQ's <c>user_id</c> property of every message this process publishes (or sends, where registered) to its
/// connection's user. The
/// broker refuses a <c>user_id</c> that is not the connection's user, so on the receiving side the property names the sender
/// for certain (<see cref="HostEventSenders"/>).
/// </summary>
/// <remarks>MassTransit runs the send pipe for sends only: publishes need the filter on the publish pipe too.</remarks>
public sealed class RabbitMqUserIdFilter(string user) : IFilter<SendContext>, IFilter<PublishContext>
{
    public Task Send(SendContext context, IPipe<SendContext> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Stamp(context);
        return next.Send(context);
    }

    public Task Send(PublishContext context, IPipe<PublishContext> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Stamp(context);
        return next.Send(context);
    }

    private void Stamp(SendContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit)) rabbit.BasicProperties.UserId = user;
    }

    public void Probe(ProbeContext context) => context?.CreateFilterScope("rabbitMqUserId");
}
