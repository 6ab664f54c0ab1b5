using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>
/// The real host worker of one host on the real broker, in the test process (no VMs: it answers every command about a
/// VM with <c>UnknownVm</c>, which is enough to prove a command reached the host's queue and the answer came back).
/// </summary>
public sealed class InTestWorker : IAsyncDisposable
{
    private readonly IHost _host;

    private InTestWorker(IHost host, string hostId)
    {
        _host = host;
        HostId = hostId;
    }

    public string HostId { get; }

    public static async Task<InTestWorker> StartAsync(Uri rabbitMq, string hostId)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddVirtFlowBus(BusTransport.RabbitMq(rabbitMq), bus => bus.AddHostWorker(o => o.HostId = hostId));
        var host = builder.Build();
        await host.StartAsync();
        return new InTestWorker(host, hostId);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
