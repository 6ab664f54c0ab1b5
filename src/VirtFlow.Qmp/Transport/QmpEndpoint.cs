using System.Globalization;
using System.Net.Sockets;

namespace VirtFlow.Qmp;

/// <summary>
/// Where a QMP (or guest-agent) socket listens: a unix socket path (<c>/run/vm.sock</c> or <c>unix:/run/vm.sock</c>)
/// or TCP (<c>tcp:HOST:PORT</c>, IPv6 as <c>tcp:[::1]:4444</c>).
/// </summary>
public sealed record QmpEndpoint
{
    private QmpEndpoint(string? path, string? host, int port)
    {
        Path = path;
        Host = host;
        Port = port;
    }

    /// <summary>The unix socket path, or null for TCP.</summary>
    public string? Path { get; }

    /// <summary>The TCP host, or null for a unix socket.</summary>
    public string? Host { get; }

    /// <summary>The TCP port (0 for a unix socket).</summary>
    public int Port { get; }

    /// <summary>True for a unix socket endpoint.</summary>
    public bool IsUnix => Path is not null;

    /// <summary>A unix socket endpoint.</summary>
    public static QmpEndpoint Unix(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new QmpEndpoint(path, null, 0);
    }

    /// <summary>A TCP endpoint.</summary>
    public static QmpEndpoint Tcp(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new QmpEndpoint(null, host, port);
    }

    /// <summary>Parses <c>PATH</c>, <c>unix:PATH</c> or <c>tcp:HOST:PORT</c>.</summary>
    /// <exception cref="FormatException">The text is empty or a malformed <c>tcp:</c> address.</exception>
    public static QmpEndpoint Parse(string text)
    {
        if (TryParse(text, out var endpoint, out var error)) return endpoint;
        throw new FormatException(error);
    }

    /// <summary>Parses like <see cref="Parse"/>, reporting a one-line <paramref name="error"/> instead of throwing.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out QmpEndpoint? endpoint, out string? error)
    {
        endpoint = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty socket address";
            return false;
        }
        if (text.StartsWith("unix:", StringComparison.Ordinal))
            text = text["unix:".Length..];
        else if (text.StartsWith("tcp:", StringComparison.Ordinal))
        {
            var rest = text["tcp:".Length..];
            var colon = rest.LastIndexOf(':');
            var host = colon > 0 ? rest[..colon] : "";
            if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
            if (host.Length == 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                || port is < 1 or > 65535)
            {
                error = $"bad TCP address '{text}' (expected tcp:HOST:PORT)";
                return false;
            }
            endpoint = new QmpEndpoint(null, host, port);
            return true;
        }
        if (text.Length == 0)
        {
            error = "empty socket path";
            return false;
        }
        endpoint = new QmpEndpoint(text, null, 0);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Path is not null ? "unix:" + Path
        : Host!.Contains(':', StringComparison.Ordinal) ? $"tcp:[{Host}]:{Port}" : $"tcp:{Host}:{Port}";

    /// <summary>
    /// Opens a connected stream, or throws <see cref="QmpException"/> with <see cref="QmpErrorClasses.ConnectFailed"/>.
    /// Cancellation by <paramref name="cancellationToken"/> surfaces as <see cref="OperationCanceledException"/>.
    /// </summary>
    internal async Task<Stream> ConnectAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        Socket socket = IsUnix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (IsUnix)
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path!), linked.Token).ConfigureAwait(false);
            else
                await socket.ConnectAsync(Host!, Port, linked.Token).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new QmpException(QmpErrorClasses.ConnectFailed, $"cannot connect to {this}: no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new QmpException(QmpErrorClasses.ConnectFailed, $"cannot connect to {this}: {Describe(e)}", inner: e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private string Describe(SocketException e)
    {
        if (IsUnix && Directory.Exists(Path)) return "is a directory, not a socket";
        if (IsUnix && !File.Exists(Path)) return "no such socket file";
        return e.SocketErrorCode == SocketError.ConnectionRefused
            ? "connection refused (nothing listens there: not a live QMP socket)"
            : e.Message;
    }
}
