using VirtFlow.Hosting.Tests.Support;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>
/// Tests of <c>virtflow server</c> and <c>virtflow start</c> as real processes: one throwaway RabbitMQ node and one
/// PostgreSQL cluster for all, one test at a time (they share the broker's <c>virtflow-start</c> queue).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<RabbitMqFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "virtflow server and start";
}
