namespace VirtFlow.Distributed.Tests.Support;

/// <summary>One throwaway RabbitMQ node and one PostgreSQL cluster for every test (each test makes its own store).</summary>
public sealed class ServersFixture : IAsyncLifetime
{
    private RabbitMqServer? _rabbit;
    private PostgresServer? _postgres;

    public RabbitMqServer Rabbit => _rabbit ?? throw new InvalidOperationException("RabbitMQ is not started");

    public PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("PostgreSQL is not started");

    public async Task InitializeAsync()
    {
        var rabbit = RabbitMqServer.StartAsync();
        var postgres = PostgresServer.StartAsync();
        _rabbit = await rabbit;
        _postgres = await postgres;
    }

    public async Task DisposeAsync()
    {
        if (_rabbit is not null) await _rabbit.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}

/// <summary>Every distributed test: one broker and one database server for all, one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class DistributedCollection : ICollectionFixture<ServersFixture>
{
    public const string Name = "server, workers, RabbitMQ, QEMU";
}
