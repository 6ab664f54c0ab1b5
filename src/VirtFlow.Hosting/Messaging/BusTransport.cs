namespace VirtFlow.Hosting.Messaging;

/// <summary>
/// The broker VirtFlow's processes talk through: MassTransit's in-memory transport (embedded mode: engine and
/// worker in one process) or RabbitMQ (a server and one worker per hypervisor). The only place that knows the
/// difference is <see cref="VirtFlowBus"/>.
/// </summary>
public abstract record BusTransport
{
    private protected BusTransport()
    {
    }

    /// <summary>The in-process bus: messages never leave the process.</summary>
    public static BusTransport InMemory { get; } = new InMemoryBusTransport();

    /// <summary>A RabbitMQ broker, e.g. <c>rabbitmq://guest:guest@localhost:5672/</c> or <c>amqp://...</c>.</summary>
    public static BusTransport RabbitMq(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return new RabbitMqBusTransport(uri);
    }

    /// <summary>
    /// Reads a transport spec: <c>memory:</c>, or a RabbitMQ URI (<c>rabbitmq://</c>, <c>amqp://</c>, <c>amqps://</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static BusTransport Parse(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var text = spec.Trim();
        if (text is "memory:" or "memory" or "in-memory") return InMemory;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "rabbitmq" or "rabbitmqs" or "amqp" or "amqps")
            return RabbitMq(uri);
        throw new ArgumentException($"unknown bus '{text}': use memory: or a RabbitMQ URI (rabbitmq://user:password@host:5672/vhost)", nameof(spec));
    }
}
