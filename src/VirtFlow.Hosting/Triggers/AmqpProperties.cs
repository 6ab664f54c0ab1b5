using MassTransit;

namespace VirtFlow.Hosting.Triggers;

/// <summary>The AMQP properties of a received message a trigger reads (strings as the producer set them); nulls elsewhere.</summary>
internal sealed record AmqpProperties(string? MessageId, string? CorrelationId, string? UserId)
{
    public static AmqpProperties Of(ConsumeContext context) =>
        context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit)
            ? new AmqpProperties(Blank(rabbit.Properties.MessageId), Blank(rabbit.Properties.CorrelationId), Blank(rabbit.Properties.UserId))
            : new AmqpProperties(null, null, null);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
