using VirtFlow.Hosting.Tests.Support;

namespace VirtFlow.Designer.Tests.Support;

/// <summary>The browser tests: one RabbitMQ node and one Chromium for all; each test starts its own server (and VM).</summary>
[CollectionDefinition(Name)]
public sealed class DesignerCollection : ICollectionFixture<RabbitMqFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "designer";
}
