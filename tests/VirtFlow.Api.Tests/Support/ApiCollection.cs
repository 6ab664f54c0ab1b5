using VirtFlow.Hosting.Tests.Support;

namespace VirtFlow.Api.Tests.Support;

/// <summary>The API tests: one throwaway RabbitMQ node and one PostgreSQL cluster for all; each test makes its own store.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<RabbitMqFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "http api";
}
