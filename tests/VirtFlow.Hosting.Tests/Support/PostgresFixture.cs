using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Support;

/// <summary>One throwaway PostgreSQL cluster for the collection; each test makes its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("PostgreSQL is not started");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>
/// Tests that start real <c>virtflow</c> processes (and kill them), on SQLite and on PostgreSQL: one at a time, one
/// PostgreSQL cluster for all.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "real virtflow processes";
}
