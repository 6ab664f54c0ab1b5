using System.Collections.Concurrent;
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
    private static readonly ConcurrentDictionary<RabbitMqBusTransport, string> Rejections = new();

    /// <summary>
    /// Why the last TLS handshake with <paramref name="transport"/>'s broker failed its certificate check, as one line naming
    /// the setting (<c>--rabbitmq-ca</c>); null when none failed. MassTransit retries a failed connection until its start
    /// timeout and then reports only that: callers add this reason to their error.
    /// </summary>
    public static string? RejectionOf(BusTransport transport) =>
        transport is RabbitMqBusTransport rabbit && Rejections.TryGetValue(rabbit, out var reason) ? reason : null;

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
            s.CertificateValidationCallback = (_, certificate, _, errors) =>
            {
                var reason = roots is null ? SystemReason(certificate, errors) : Validate(certificate, errors, roots, transport.CaFile!);
                if (reason is null) return true;
                Rejections[transport] = reason;
                return false;
            };
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

    /// <summary>Null when the broker's certificate names the host and chains to <paramref name="roots"/>, else why not.</summary>
    internal static string? Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots, string caFile)
    {
        if (certificate is null) return "TLS: the broker sent no certificate";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return $"TLS: the broker's certificate ({Printable.Bounded(certificate.Subject)}) does not name the host of --rabbitmq";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf) ? null
            : $"TLS: the broker's certificate ({Printable.Bounded(certificate.Subject)}, issued by {Printable.Bounded(certificate.Issuer)}) is not signed by a CA in --rabbitmq-ca '{caFile}'";
    }

    private static string? SystemReason(X509Certificate? certificate, SslPolicyErrors errors) => errors switch
    {
        SslPolicyErrors.None => null,
        _ when certificate is null => "TLS: the broker sent no certificate",
        _ when errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) =>
            $"TLS: the broker's certificate ({Printable.Bounded(certificate.Subject)}) does not name the host of --rabbitmq",
        _ => $"TLS: the broker's certificate ({Printable.Bounded(certificate.Subject)}, issued by {Printable.Bounded(certificate.Issuer)}) is not trusted by this system (--rabbitmq-ca FILE names its CA)",
    };
}
