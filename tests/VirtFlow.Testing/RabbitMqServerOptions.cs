namespace VirtFlow.Testing;

/// <summary>Extras of a throwaway RabbitMQ node (<see cref="RabbitMqServer.StartAsync(RabbitMqServerOptions?)"/>); none by default.</summary>
public sealed class RabbitMqServerOptions
{
    /// <summary>The rabbitmq_management plugin (HTTP API on a free port: <see cref="RabbitMqServer.ManagementUri"/>).</summary>
    public bool Management { get; init; }

    /// <summary>A TLS listener with these files (readable by the <c>rabbitmq</c> user): <see cref="RabbitMqServer.TlsPort"/>.</summary>
    public RabbitMqTlsFiles? Tls { get; init; }
}

/// <summary>The PEM files of a TLS listener.</summary>
public sealed record RabbitMqTlsFiles(string CaFile, string CertFile, string KeyFile);
