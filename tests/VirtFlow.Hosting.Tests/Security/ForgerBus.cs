using MassTransit;
using VirtFlow.Contracts;
using VirtFlow.Hosting.Messaging.Identity;

namespace VirtFlow.Hosting.Tests.Security;

/// <summary>
/// A MassTransit bus with one role's login that publishes host events as a forger would: with a chosen <c>user_id</c>,
/// or none at all (a bus that does not set it).
/// </summary>
internal sealed class ForgerBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private ForgerBus(IBusControl bus) => _bus = bus;

    public static async Task<ForgerBus> StartAsync(Uri login, bool setUserId)
    {
        var parts = login.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(parts[0]);
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new UriBuilder(login) { Scheme = "rabbitmq", UserName = "", Password = "" }.Uri, h =>
            {
                h.Username(user);
                h.Password(Uri.UnescapeDataString(parts[1]));
            });
            cfg.OverrideDefaultBusEndpointQueueName(BrokerNames.TemporaryQueue(user));
            cfg.Publish<HostEvent>(p => p.Exclude = true);
            if (setUserId) cfg.ConfigurePublish(p => p.UseFilter(new RabbitMqUserIdFilter(user)));
        });
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bus.StartAsync(start.Token);
        return new ForgerBus(bus);
    }

    public async Task PublishAsync(HostEvent e)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus.Publish(e, e.GetType(), limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus.StopAsync(stop.Token);
    }
}
