using System.Collections.Concurrent;
using MassTransit;
using VirtFlow.Contracts;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Worker;

/// <summary>
/// What an engine would be to a <c>virtflow worker</c> process, for tests: a MassTransit bus on the test's RabbitMQ that
/// sends commands to <see cref="VirtFlowBus.HostCommandAddress"/> and records every host event of one host from its own
/// durable queue (bound like <c>virtflow-engine</c> is, so it keeps what is published while nobody reads).
/// </summary>
public sealed class EngineSide : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<HostEvent> _events;

    private EngineSide(IBusControl bus, ConcurrentQueue<HostEvent> events, RabbitMqServer server, string hostId, string queue)
    {
        _bus = bus;
        _events = events;
        Server = server;
        HostId = hostId;
        Queue = queue;
    }

    public RabbitMqServer Server { get; }

    /// <summary>The host whose events are kept (others are dropped).</summary>
    public string HostId { get; }

    /// <summary>The queue the events are read from.</summary>
    public string Queue { get; }

    /// <summary>Every event of <see cref="HostId"/> so far, in the order the broker delivered them.</summary>
    public IReadOnlyList<HostEvent> Events => [.. _events];

    public static async Task<EngineSide> StartAsync(RabbitMqServer server, string hostId, string? queue = null)
    {
        queue ??= "test-engine-" + hostId;
        var events = new ConcurrentQueue<HostEvent>();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri($"rabbitmq://127.0.0.1:{server.Port}/"), h =>
            {
                h.Username("guest");
                h.Password("guest");
            });
            cfg.ReceiveEndpoint(queue, e =>
            {
                e.Durable = true;
                e.AutoDelete = false;
                // One at a time: Events is the order the broker delivered them in (handlers running side by side would
                // record two events that arrived together in either order).
                e.PrefetchCount = 1;
                e.ConcurrentMessageLimit = 1;
                Handle<CommandResult>(e, events, hostId);
                Handle<JobStatusChanged>(e, events, hostId);
                Handle<JobProgress>(e, events, hostId);
                Handle<VmJobsSnapshot>(e, events, hostId);
                Handle<VmGone>(e, events, hostId);
                Handle<WorkerOnline>(e, events, hostId);
                Handle<WorkerOffline>(e, events, hostId);
                Handle<QuiesceLeaseExpired>(e, events, hostId);
            });
        });
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bus.StartAsync(start.Token);
        return new EngineSide(bus, events, server, hostId, queue);
    }

    /// <summary>Sends <paramref name="command"/> to its host's queue the way the engine does (confirmed by the broker).</summary>
    public async Task SendAsync(HostCommand command)
    {
        var endpoint = await _bus.GetSendEndpoint(VirtFlowBus.HostCommandAddress(BusTransport.RabbitMq(Server.AmqpUri), command.HostId));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await endpoint.Send(command, command.GetType(), limit.Token);
    }

    /// <summary>The first event of type <typeparamref name="T"/> matching <paramref name="match"/> (bounded wait).</summary>
    public Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan timeout, string what)
        where T : HostEvent =>
        Eventually.Until(() => Task.FromResult(Events.OfType<T>().FirstOrDefault(match)), timeout, $"{what}; events so far:\n{Describe()}");

    /// <summary>The result of command <paramref name="commandId"/> (bounded wait).</summary>
    public Task<CommandResult> ResultAsync(string commandId, TimeSpan? timeout = null) =>
        WaitForAsync<CommandResult>(r => r.CommandId == commandId, timeout ?? TimeSpan.FromSeconds(90), $"the result of {commandId}");

    /// <summary>The events so far, one line each (for failure messages).</summary>
    public string Describe() => string.Join('\n', Events.Select(e => e switch
    {
        JobStatusChanged j => $"{e.At:HH:mm:ss.fff} JobStatusChanged {j.JobId} {j.Status}",
        VmJobsSnapshot s => $"{e.At:HH:mm:ss.fff} VmJobsSnapshot {s.Vm} [{string.Join(", ", s.Jobs.Select(j => $"{j.JobId} {j.Status}"))}] {s.RunState}",
        CommandResult r => $"{e.At:HH:mm:ss.fff} CommandResult {r.CommandType} {r.CommandId} {r.Success} {r.ErrorClass} {r.Error}",
        _ => $"{e.At:HH:mm:ss.fff} {e.GetType().Name} {e.EventId}",
    }).TakeLast(60));

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _bus.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void Handle<T>(IRabbitMqReceiveEndpointConfigurator e, ConcurrentQueue<HostEvent> events, string hostId)
        where T : HostEvent =>
        e.Handler<T>(context =>
        {
            if (context.Message.HostId == hostId) events.Enqueue(context.Message);
            return Task.CompletedTask;
        });
}
