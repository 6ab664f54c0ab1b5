namespace VirtFlow.Hosting.Messaging;

/// <summary>A RabbitMQ broker.</summary>
/// <param name="Uri">The broker's address (credentials may be in the user info).</param>
public sealed record RabbitMqBusTransport(Uri Uri) : BusTransport
{
    /// <summary>The address without credentials, for logs.</summary>
    public override string ToString() => new UriBuilder(Uri) { UserName = "", Password = "" }.Uri.ToString();
}
