using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Security;

/// <summary>A throwaway RabbitMQ with a TLS listener whose certificate a <see cref="ThrowawayCa"/> signed.</summary>
public sealed class TlsBrokerFixture : IAsyncLifetime
{
    private RabbitMqServer? _server;
    private ThrowawayCa? _ca;

    public RabbitMqServer Server => _server ?? throw new InvalidOperationException("RabbitMQ is not started");

    public string CaFile => _ca!.CaFile;

    public string OtherCaFile => _ca!.OtherCaFile;

    /// <summary><c>amqps://guest:guest@localhost:TLSPORT/</c>.</summary>
    public Uri AmqpsUri => new($"amqps://guest:guest@localhost:{Server.TlsPort}/");

    public async Task InitializeAsync()
    {
        _ca = ThrowawayCa.Create();
        _server = await RabbitMqServer.StartAsync(new RabbitMqServerOptions { Tls = _ca.Files });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
