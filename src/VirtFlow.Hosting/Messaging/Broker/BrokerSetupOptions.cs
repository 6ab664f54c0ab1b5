namespace VirtFlow.Hosting.Messaging.Broker;

/// <summary>What <see cref="BrokerSetup"/> creates (<c>virtflow broker setup</c>).</summary>
public sealed class BrokerSetupOptions
{
    /// <summary>The default vhost when neither <see cref="Vhost"/> nor the admin URI names one.</summary>
    public const string DefaultVhost = "virtflow";

    /// <summary>An administrator's AMQP URI (<c>amqp://admin:PW@host:5672/</c>): its credentials log in to the management API;
    /// its host and port go into the printed URIs. Required.</summary>
    public Uri? AdminUri { get; set; }

    /// <summary>The management HTTP API; null: <c>http://HOST:15672/</c> of <see cref="AdminUri"/>.</summary>
    public Uri? ManagementUri { get; set; }

    /// <summary>The vhost; null: the admin URI's path when it names one, else <see cref="DefaultVhost"/>.</summary>
    public string? Vhost { get; set; }

    /// <summary>The hosts whose workers get a user (one each). At least one.</summary>
    public IList<string> Hosts { get; } = [];

    /// <summary>Give existing users a new password (default: keep them and their password).</summary>
    public bool Rotate { get; set; }

    /// <summary>The vhost used.</summary>
    public string EffectiveVhost
    {
        get
        {
            if (!string.IsNullOrEmpty(Vhost)) return Vhost;
            var path = AdminUri is null ? "" : Uri.UnescapeDataString(AdminUri.AbsolutePath.TrimStart('/'));
            return path.Length > 0 ? path : DefaultVhost;
        }
    }

    /// <summary>The management API used.</summary>
    public Uri EffectiveManagementUri => ManagementUri ?? new UriBuilder("http", AdminUri!.Host, 15672).Uri;

    /// <summary>Throws <see cref="ArgumentException"/> naming the option.</summary>
    public void Validate()
    {
        if (AdminUri is null || AdminUri.Scheme is not ("amqp" or "amqps" or "rabbitmq" or "rabbitmqs"))
            throw new ArgumentException("--rabbitmq ADMIN-URI is required (amqp://admin:password@host:5672/)");
        if (string.IsNullOrEmpty(AdminUri.UserInfo)) throw new ArgumentException("--rabbitmq: the admin URI needs user:password");
        if (Hosts.Count == 0) throw new ArgumentException("--hosts h1,h2 is required (the host ids of the workers)");
        foreach (var host in Hosts)
            if (string.IsNullOrWhiteSpace(host) || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                throw new ArgumentException($"--hosts: '{host}' is not a host id (letters, digits, '-', '_' and '.')");
        if (ManagementUri is not null && ManagementUri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--management '{ManagementUri}' is not an http(s) URL");
    }
}
