using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts;

namespace VirtFlow.HostWorker.Messaging;

/// <summary>Registers a <see cref="HostWorker"/> on a MassTransit bus.</summary>
public static class HostWorkerBusExtensions
{
    /// <summary>Every command type the worker consumes: one per handler class (<see cref="HandlerTable"/>).</summary>
    public static IReadOnlyList<Type> CommandTypes => HandlerTable.CommandTypes;

    /// <summary>
    /// Adds the worker (a singleton, with a sink publishing on the bus), a consumer per command type on the host's queue
    /// <c>virtflow-host-{hostId}</c> (configured by <c>ConfigureEndpoints</c>), and <see cref="HostWorkerService"/> to run it
    /// in a generic host (it sets <see cref="MassTransitHostOptions.WaitUntilStarted"/>). The options are validated here.
    /// Safe to call twice: the second call adds nothing.
    /// </summary>
    public static IBusRegistrationConfigurator AddVirtFlowHostWorker(this IBusRegistrationConfigurator bus, Action<HostWorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(configure);
        if (bus.Any(d => d.ServiceType == typeof(HostWorker))) return bus;
        var options = new HostWorkerOptions();
        configure(options);
        options.Validate();

        bus.TryAddSingleton(options);
        // Events go out in order through one buffer that retries until the broker takes them (none lost while it is down);
        // when it is back, and when the host queue's consumer is ready again after a lost connection, every VM reports anew.
        bus.TryAddSingleton(sp => new BufferedHostEventSink(new MassTransitHostEventSink(sp.GetRequiredService<IBus>()), options.EventBuffer,
            sp.GetService<ILoggerFactory>()?.CreateLogger<BufferedHostEventSink>()));
        bus.TryAddSingleton<IHostEventSink>(sp => sp.GetRequiredService<BufferedHostEventSink>());
        bus.TryAddSingleton(sp =>
        {
            var worker = new HostWorker(options, sp.GetRequiredService<IHostEventSink>(), sp.GetService<ILoggerFactory>());
            if (sp.GetService<BufferedHostEventSink>() is { } buffer) buffer.Recovered += () => worker.ReportAgain("the broker took events again");
            return worker;
        });
        bus.TryAddSingleton<HostQueueStopping>();
        bus.AddReceiveEndpointObserver(sp => new HostQueueReadyObserver(sp, HostQueues.CommandQueue(options.HostId)));
        bus.AddHostedService<HostWorkerService>();
        // The worker starts once every hosted service has; this makes "started" mean the bus is up, so its first
        // events (WorkerOnline, the snapshots) are not published into a bus still starting.
        bus.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);

        var queue = HostQueues.CommandQueue(options.HostId);
        foreach (var command in CommandTypes)
            bus.AddConsumer(typeof(HostCommandConsumer<>).MakeGenericType(command)).Endpoint(e => e.Name = queue);
        return bus;
    }
}
