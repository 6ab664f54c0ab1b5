using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MassTransit;

namespace VirtFlow.Hosting.Messaging.Identity;

/// <summary>
/// TLS to the broker (<c>amqps://</c>): the certificate must be valid for the URI's host and, with
/// <see cref="RabbitMqBusTransport.CaFile"/>, chain to one of that file's CA certificates (else to the system's roots).
/// </summary>
public static class RabbitMqTls
{
    /// <summary>Turns TLS on for an <c>amqps://</c> transport; nothing for <c>amqp://</c>.</summary>
    /// <exception cref="ArgumentException">The CA file cannot be read (names <c>--rabbitmq-ca</c>).</exception>
    public static void Configure(IRabbitMqHostConfigurator host, RabbitMqBusTransport transport)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(transport);
        if (!transport.UsesTls) return;
        var roots = transport.CaFile is { } file ? LoadCa(file) : null;
        host.UseSsl(s =>
        {
            s.ServerName = transport.Uri.Host;
            if (roots is not null) s.CertificateValidationCallback = (_, certificate, _, errors) => Validate(certificate, errors, roots);
        });
    }

    /// <summary>The certificates of a PEM file; one line naming the file and the setting when it cannot be read.</summary>
    public static X509Certificate2Collection LoadCa(string file)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ArgumentException($"--rabbitmq-ca '{file}': cannot read a PEM CA certificate: {e.Message}");
        }
        if (roots.Count == 0) throw new ArgumentException($"--rabbitmq-ca '{file}': no certificate in the file");
        return roots;
    }

    /// <summary>True when the broker's certificate names the host and chains to <paramref name="roots"/>.</summary>
    internal static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
