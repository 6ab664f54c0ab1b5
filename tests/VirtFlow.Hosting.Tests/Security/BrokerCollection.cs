namespace VirtFlow.Hosting.Tests.Security;

[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>
{
    public const string Name = "broker with per-role users";
}
