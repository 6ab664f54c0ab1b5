namespace VirtFlow.Engine.Tests.Storage;

/// <summary>Test classes that share the PostgreSQL cluster (run one after another, each on its own databases).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
