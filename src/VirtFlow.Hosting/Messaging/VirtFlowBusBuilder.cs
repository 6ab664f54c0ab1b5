using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VirtFlow.Contracts;
using VirtFlow.HostWorker;
using VirtFlow.HostWorker.Messaging;
using VirtFlow.Hosting.Client;
using VirtFlow.Hosting.Messaging.Identity;
using VirtFlow.Hosting.Server;

namespace VirtFlow.Hosting.Messaging;

/// <summary>What a process puts on the bus: the engine side, host workers, anything else (tests).</summary>
public sealed class VirtFlowBusBuilder
{
    private readonly List<string> _hosts = [];

    internal VirtFlowBusBuilder(BusTransport transport) => Transport = transport;

    /// <summary>The transport the bus uses.</summary>
    public BusTransport Transport { get; }

    /// <summary>How long starting the bus may take. Default 60 s.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long stopping the bus may take (messages in flight finish). Default 30 s.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one send of an outbox message may take before it counts as failed (the engine retries it later). A broker
    /// that refuses or is gone must not hold the engine: MassTransit keeps retrying a send until it is cancelled. Default 30 s.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Which RabbitMQ user may publish the events of a host (<see cref="HostEventSenders"/>): by default only that host's
    /// worker user (<c>virtflow-worker-{host}</c>) or this process's own user. Not used on the in-memory bus.
    /// </summary>
    public WorkerIdentityOptions WorkerIdentity { get; set; } = new();

    /// <summary>The hosts whose command queues this process consumes.</summary>
    public IReadOnlyList<string> Hosts => _hosts;

    internal bool HasEngine { get; private set; }

    internal bool HasServer { get; private set; }

    internal List<Action<IBusRegistrationConfigurator>> Registrations { get; } = [];

    internal List<Action<IBusRegistrationContext, IBusFactoryConfigurator>> Endpoints { get; } = [];

    /// <summary>Every concrete <see cref="HostEvent"/> type of the contracts.</summary>
    public static IReadOnlyList<Type> HostEventTypes { get; } = typeof(HostEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && typeof(HostEvent).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToArray();

    /// <summary>
    /// The engine side: a <see cref="HostEventConsumer{TEvent}"/> for every host event type on <see cref="VirtFlowBus.EngineQueue"/>
    /// (retried with back-off when the store fails), and <see cref="MassTransitOutboxTransport"/> as the engine's outbox transport.
    /// </summary>
    public VirtFlowBusBuilder AddEngine()
    {
        if (HasEngine) return this;
        HasEngine = true;
        var consumers = HostEventTypes.Select(t => typeof(HostEventConsumer<>).MakeGenericType(t)).ToArray();
        Registrations.Add(x =>
        {
            x.TryAddSingleton<HostEventGate>();
            x.TryAddSingleton<Http.Hosts.HostReplies>();
            x.TryAddSingleton(_ => new HostEventSenders(Transport, WorkerIdentity));
            foreach (var consumer in consumers) x.AddConsumer(consumer);
        });
        Endpoints.Add((context, cfg) => cfg.ReceiveEndpoint(VirtFlowBus.EngineQueue, e =>
        {
            e.UseMessageRetry(r => r.Exponential(10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500)));
            foreach (var consumer in consumers) e.ConfigureConsumer(context, consumer);
        }));
        return this;
    }

    /// <summary>
    /// The worker of a host in this process (<see cref="HostWorkerBusExtensions.AddVirtFlowHostWorker"/>): the worker, its
    /// consumers on <c>virtflow-host-{hostId}</c> (a single active consumer on RabbitMQ), and its hosted service, which
    /// releases every quiesce lease when the process stops.
    /// </summary>
    public VirtFlowBusBuilder AddHostWorker(Action<HostWorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new HostWorkerOptions();
        configure(options);
        options.Validate();
        if (_hosts.Contains(options.HostId, StringComparer.Ordinal))
            throw new InvalidOperationException($"host {options.HostId} is already served by this bus");
        _hosts.Add(options.HostId);
        Registrations.Add(x => x.AddVirtFlowHostWorker(configure));
        return this;
    }

    /// <summary>
    /// The server's workflow API beside the engine (<see cref="AddEngine"/> included): <see cref="StartWorkflowConsumer"/> on
    /// <see cref="WorkflowQueues.Start"/> and <see cref="GetWorkflowStatusConsumer"/> on <see cref="WorkflowQueues.Status"/>.
    /// Both queues are durable and bound to their message type's exchange (<c>VirtFlow.Contracts:StartWorkflow</c>,
    /// <c>...:GetWorkflowStatus</c>): clients publish, so a client user needs rights on those exchanges only, never on the
    /// server's queues (<c>virtflow broker setup</c> declares them, so a start sent before any server ran waits too).
    /// </summary>
    public VirtFlowBusBuilder AddServer()
    {
        AddEngine();
        if (HasServer) return this;
        HasServer = true;
        Registrations.Add(x =>
        {
            x.AddConsumer<StartWorkflowConsumer>();
            x.AddConsumer<GetWorkflowStatusConsumer>();
        });
        Endpoints.Add((context, cfg) =>
        {
            cfg.ReceiveEndpoint(WorkflowQueues.Start, e =>
            {
                e.UseMessageRetry(r => r.Exponential(10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500)));
                e.ConfigureConsumer<StartWorkflowConsumer>(context);
            });
            cfg.ReceiveEndpoint(WorkflowQueues.Status, e =>
            {
                e.ConfigureConsumer<GetWorkflowStatusConsumer>(context);
            });
        });
        return this;
    }

    /// <summary>
    /// A client following instances (<c>virtflow start --wait</c>): a temporary queue (deleted when the client goes)
    /// subscribed to <c>WorkflowStatusChanged</c> and <c>WorkflowProgress</c>, handed to <paramref name="watch"/> one at
    /// a time, in order.
    /// </summary>
    public VirtFlowBusBuilder AddWorkflowWatch(WorkflowWatch watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        Registrations.Add(x =>
        {
            x.TryAddSingleton(watch);
            x.AddConsumer<WorkflowWatchConsumer>();
        });
        // Named after the connection's user (BrokerNames.TemporaryQueue), so a narrow client user may declare and read it.
        var user = Transport is RabbitMqBusTransport rabbit ? rabbit.UserName : "memory";
        Endpoints.Add((context, cfg) => cfg.ReceiveEndpoint(BrokerNames.TemporaryQueue(user), e =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
            {
                rabbitEndpoint.Durable = false;
                rabbitEndpoint.AutoDelete = true;
                rabbitEndpoint.Exclusive = true;
            }
            e.ConcurrentMessageLimit = 1;
            e.ConfigureConsumer<WorkflowWatchConsumer>(context);
        }));
        return this;
    }

    /// <summary>Anything else: consumers, endpoints (tests use it for recording consumers).</summary>
    public VirtFlowBusBuilder Add(Action<IBusRegistrationConfigurator> registrations, Action<IBusRegistrationContext, IBusFactoryConfigurator>? endpoints = null)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        Registrations.Add(registrations);
        if (endpoints is not null) Endpoints.Add(endpoints);
        return this;
    }
}
