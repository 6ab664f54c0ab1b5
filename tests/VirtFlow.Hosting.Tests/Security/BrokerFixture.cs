using VirtFlow.Hosting.Messaging.Broker;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Security;

/// <summary>
/// A throwaway RabbitMQ with the management plugin, set up by <see cref="BrokerSetup"/> (what <c>virtflow broker setup</c>
/// runs) in vhost <see cref="Vhost"/> for hosts <c>h1</c>, <c>h2</c> and <c>hq</c>: every role's narrow user.
/// </summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    public const string Vhost = "vf-sec";
    private RabbitMqServer? _server;
    private IReadOnlyList<BrokerRoleUser> _users = [];

    public RabbitMqServer Server => _server ?? throw new InvalidOperationException("RabbitMQ is not started");

    /// <summary>The administrator's URI in the vhost (guest, given full rights there by the set-up).</summary>
    public Uri Admin => new UriBuilder(Server.AmqpUri) { Path = "/" + Vhost }.Uri;

    /// <summary>The users the set-up printed.</summary>
    public IReadOnlyList<BrokerRoleUser> Users => _users;

    /// <summary>The connection URI of a role: <c>server</c>, <c>worker-h1</c>, <c>client</c>...</summary>
    public Uri Role(string role) => _users.Single(u => u.Role == role).Uri;

    public BrokerSetupOptions SetupOptions(bool rotate = false)
    {
        var options = new BrokerSetupOptions { AdminUri = Server.AmqpUri, ManagementUri = Server.ManagementUri, Vhost = Vhost, Rotate = rotate };
        foreach (var host in new[] { "h1", "h2", "hq" }) options.Hosts.Add(host);
        return options;
    }

    public async Task InitializeAsync()
    {
        _server = await RabbitMqServer.StartAsync(new RabbitMqServerOptions { Management = true });
        _users = await BrokerSetup.RunAsync(SetupOptions());
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
