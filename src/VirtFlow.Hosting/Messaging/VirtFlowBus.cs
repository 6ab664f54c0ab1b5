using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VirtFlow.Contracts;
using VirtFlow.Engine.Runtime.Outbox;
using VirtFlow.Hosting.Messaging.Identity;

namespace VirtFlow.Hosting.Messaging;

/// <summary>
/// VirtFlow's MassTransit set-up, the one place that knows the transport. On RabbitMQ publisher confirms are on (a send
/// completes once the broker has the message); named queues are durable and messages persistent (MassTransit's
/// defaults; host command queues set it explicitly), so both survive a broker restart. Queues: <see cref="EngineQueue"/> (host
/// events and command results for the engine, competing consumers when several engines run) and one command queue
/// per host, <c>virtflow-host-{hostId}</c> (<see cref="HostQueues.CommandQueue"/>; on RabbitMQ with a single active
/// consumer, so a standby worker can take over). Commands are sent to their host's queue; events are published.
/// </summary>
public static class VirtFlowBus
{
    /// <summary>The queue the engine consumes host events from.</summary>
    public const string EngineQueue = "virtflow-engine";

    /// <summary>
    /// The send address of a host's command queue: <c>queue:virtflow-host-{hostId}</c>; on RabbitMQ with the queue's
    /// single-active-consumer argument, so a sender that declares the queue first declares it as the worker does
    /// (RabbitMQ refuses a second declaration with other arguments).
    /// </summary>
    public static Uri HostCommandAddress(BusTransport transport, string hostId)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var queue = HostQueues.CommandQueue(hostId);
        return transport is RabbitMqBusTransport ? new Uri($"queue:{queue}?singleactiveconsumer=true") : new Uri($"queue:{queue}");
    }

    /// <summary>The send address of any queue by name: <c>queue:{name}</c>.</summary>
    public static Uri QueueAddress(string queue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        return new Uri($"queue:{queue}");
    }

    /// <summary>
    /// Adds MassTransit on <paramref name="transport"/> with the parts <paramref name="configure"/> asks for
    /// (<see cref="VirtFlowBusBuilder.AddEngine"/>, <see cref="VirtFlowBusBuilder.AddHostWorker"/>, ...). Call once per
    /// service collection (MassTransit allows one bus); a second call adds nothing.
    /// </summary>
    public static IServiceCollection AddVirtFlowBus(this IServiceCollection services, BusTransport transport, Action<VirtFlowBusBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(VirtFlowBusBuilder))) return services;
        var builder = new VirtFlowBusBuilder(transport);
        configure(builder);
        services.AddSingleton(builder);
        services.TryAddSingleton(TimeProvider.System);
        if (builder.HasEngine) services.TryAddSingleton<IOutboxTransport, MassTransitOutboxTransport>();
        services.AddMassTransit(x =>
        {
            foreach (var register in builder.Registrations) register(x);
            // Host command queues get the same settings however their consumers were registered (explicitly or by name).
            x.AddConfigureEndpointsCallback((_, queue, endpoint) =>
            {
                if (IsHostQueue(queue)) ConfigureHostQueue(endpoint);
            });
            UseTransport(x, transport, (context, cfg) =>
            {
                foreach (var endpoints in builder.Endpoints) endpoints(context, cfg);
            });
        });
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = builder.StartTimeout;
            o.StopTimeout = builder.StopTimeout;
        });
        return services;
    }

    /// <summary>Selects the transport (with <see cref="HostCommandAddress"/>, the only code that knows which one it is).</summary>
    public static void UseTransport(IBusRegistrationConfigurator bus, BusTransport transport, Action<IBusRegistrationContext, IBusFactoryConfigurator> endpoints)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(endpoints);
        switch (transport)
        {
            case InMemoryBusTransport:
                ConfigureInMemory(bus, endpoints);
                break;
            case RabbitMqBusTransport rabbit:
                ConfigureRabbitMq(bus, rabbit, endpoints);
                break;
            default:
                throw new ArgumentException($"unsupported bus transport {transport}", nameof(transport));
        }
    }

    /// <summary>
    /// MassTransit's in-memory transport (embedded mode): the explicit <paramref name="endpoints"/>, then an endpoint for every
    /// consumer registered with an endpoint name (the worker's).
    /// </summary>
    public static void ConfigureInMemory(IBusRegistrationConfigurator bus, Action<IBusRegistrationContext, IBusFactoryConfigurator> endpoints) =>
        bus.UsingInMemory((context, cfg) =>
        {
            endpoints(context, cfg);
            cfg.ConfigureEndpoints(context);
        });

    /// <summary>
    /// RabbitMQ at <paramref name="transport"/> (credentials in its URI's user info, else guest/guest); endpoints as for
    /// <see cref="ConfigureInMemory"/>. Every message published (host events, results, status) carries the connection's user as
    /// its <c>user_id</c> (<see cref="RabbitMqUserIdFilter"/>: the broker refuses any other, so a receiver knows who sent it;
    /// sends such as commands carry none, so MassTransit can still move one to an <c>_error</c> queue with another login); the base
    /// <see cref="HostEvent"/> type gets no exchange (consumers bind each concrete event type), and the bus's own temporary
    /// queue is named after the user (<see cref="BrokerNames.TemporaryQueue"/>), so narrow per-role users need permissions
    /// on their own names only (<c>virtflow broker setup</c>).
    /// </summary>
    public static void ConfigureRabbitMq(IBusRegistrationConfigurator bus, RabbitMqBusTransport transport, Action<IBusRegistrationContext, IBusFactoryConfigurator> endpoints)
    {
        ArgumentNullException.ThrowIfNull(transport);
        bus.UsingRabbitMq((context, cfg) =>
        {
            var (user, password) = transport.Credentials;
            var host = new UriBuilder(transport.Uri) { UserName = "", Password = "" };
            if (host.Scheme is "amqp") host.Scheme = "rabbitmq";
            else if (host.Scheme is "amqps") host.Scheme = "rabbitmqs";
            cfg.Host(host.Uri, h =>
            {
                if (user is not null) h.Username(user);
                if (password is not null) h.Password(password);
                // A send or publish completes only once the broker confirmed it (the outbox and the worker's event
                // buffer retry until then): MassTransit's default, stated here because correctness depends on it.
                h.PublisherConfirmation = true;
                RabbitMqTls.Configure(h, transport);
            });
            cfg.OverrideDefaultBusEndpointQueueName(BrokerNames.TemporaryQueue(transport.UserName));
            cfg.Publish<HostEvent>(p => p.Exclude = true);
            var userId = new RabbitMqUserIdFilter(transport.UserName);
            cfg.ConfigurePublish(p => p.UseFilter(userId));
            endpoints(context, cfg);
            cfg.ConfigureEndpoints(context);
        });
    }

    /// <summary>True for a host's command queue (<c>virtflow-host-*</c>).</summary>
    public static bool IsHostQueue(string queue) => queue.StartsWith(HostQueues.CommandQueue("x")[..^1], StringComparison.Ordinal);

    /// <summary>Settings every host command queue gets, whatever the transport.</summary>
    internal static void ConfigureHostQueue(IReceiveEndpointConfigurator endpoint)
    {
        // Commands are sent to one host's queue, never published: no exchange bindings for their types.
        endpoint.ConfigureConsumeTopology = false;
        // Commands of different VMs run side by side (a pivot waits for its jobs); the worker orders those of one VM.
        endpoint.ConcurrentMessageLimit = 32;
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SingleActiveConsumer = true;
            rabbit.Durable = true;
            rabbit.AutoDelete = false;
        }
    }
}
