namespace VirtFlow.Hosting.Messaging;

/// <summary>A RabbitMQ broker.</summary>
/// <param name="Uri">The broker's address (credentials may be in the user info).</param>
public sealed record RabbitMqBusTransport(Uri Uri) : BusTransport
{
    /// <summary>
    /// A PEM file with the CA certificate(s) that signed the broker's certificate, for <c>amqps://</c> (<c>--rabbitmq-ca</c>);
    /// null: the system's trusted roots.
    /// </summary>
    public string? CaFile { get; init; }

    /// <summary>True for <c>amqps://</c> / <c>rabbitmqs://</c>.</summary>
    public bool UsesTls => Uri.Scheme is "amqps" or "rabbitmqs";

    /// <summary>The user the connection logs in as: the URI's user info, else RabbitMQ's default <c>guest</c>.</summary>
    public string UserName => Credentials.User ?? "guest";

    /// <summary>The user and password of the URI's user info (unescaped), or nulls.</summary>
    internal (string? User, string? Password) Credentials
    {
        get
        {
            if (string.IsNullOrEmpty(Uri.UserInfo)) return (null, null);
            var parts = Uri.UserInfo.Split(':', 2);
            return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null);
        }
    }

    /// <summary>The address without credentials, for logs.</summary>
    public override string ToString() => new UriBuilder(Uri) { UserName = "", Password = "" }.Uri.ToString();
}
