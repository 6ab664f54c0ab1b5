using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using VirtFlow.Contracts;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>
/// Consumes a host's command queue on the real broker the way a worker would (same queue, same arguments) and only
/// records the <see cref="QueryVm"/> commands it gets: a stand-in for a worker that comes late.
/// </summary>
public sealed class CommandRecorder : IAsyncDisposable
{
    private readonly IHost _host;

    private CommandRecorder(IHost host, ConcurrentQueue<QueryVm> received)
    {
        _host = host;
        Received = received;
    }

    public ConcurrentQueue<QueryVm> Received { get; }

    public static async Task<CommandRecorder> StartAsync(Uri rabbitMq, string hostId)
    {
        var received = new ConcurrentQueue<QueryVm>();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddVirtFlowBus(BusTransport.RabbitMq(rabbitMq), bus => bus.Add(
            x =>
            {
                x.TryAddSingleton(received);
                x.AddConsumer<Consumer>().ExcludeFromConfigureEndpoints();
            },
            (context, cfg) => cfg.ReceiveEndpoint(HostQueues.CommandQueue(hostId), e =>
            {
                e.ConfigureConsumeTopology = false;
                if (e is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.SingleActiveConsumer = true;
                e.ConfigureConsumer<Consumer>(context);
            })));
        var host = builder.Build();
        await host.StartAsync();
        return new CommandRecorder(host, received);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }

    private sealed class Consumer(ConcurrentQueue<QueryVm> received) : IConsumer<QueryVm>
    {
        public Task Consume(ConsumeContext<QueryVm> context)
        {
            received.Enqueue(context.Message);
            return Task.CompletedTask;
        }
    }
}
