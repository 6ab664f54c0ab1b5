using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VirtFlow.Qmp.Transport;

namespace VirtFlow.Qmp;

/// <summary>
/// A QEMU guest-agent (qemu-ga) client over the host side of the agent's virtio-serial channel (a chardev
/// socket). QGA has no greeting and no ids, so one command runs at a time and the stream is resynchronised
/// with <c>guest-sync-delimited</c> on connect and after any call that did not read its own reply.
/// Errors: the agent's own as <see cref="QmpException"/> with its class and desc; transport failures as
/// <see cref="QmpErrorClasses.Timeout"/>, <see cref="QmpErrorClasses.Disconnected"/>,
/// <see cref="QmpErrorClasses.ConnectFailed"/>; the caller's cancellation as <see cref="OperationCanceledException"/>.
/// Typed commands: <see cref="QgaCommands"/>.
/// </summary>
/// <remarks>
/// Never point <see cref="QgaCommands.FsFreezeAsync"/> at an agent running on the host itself (Debian's
/// <c>qemu-ga -m unix-listen</c>): it would freeze the host's own filesystems.
/// </remarks>
public sealed partial class QgaClient : IQgaClient
{
    private readonly JsonLineTransport _transport;
    private readonly QgaClientOptions _options;
    private readonly ILogger _log;
    private readonly string _name;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _disposeCts = new();
    private QmpException? _disconnectReason;
    private Task<byte[]?>? _pendingRead;
    private bool _needsSync = true;
    private int _disposed;

    private QgaClient(QmpEndpoint endpoint, Stream stream, QgaClientOptions options)
    {
        Endpoint = endpoint;
        _options = options;
        _transport = new JsonLineTransport(stream, options.MaxMessageBytes);
        _log = options.Logger ?? NullLogger.Instance;
        _name = endpoint.ToString();
    }

    /// <summary>Where the agent's channel is.</summary>
    public QmpEndpoint Endpoint { get; }

    /// <summary>Timeout of calls that give none.</summary>
    public TimeSpan DefaultTimeout => _options.DefaultTimeout;

    /// <inheritdoc />
    public bool IsConnected => Volatile.Read(ref _disconnectReason) is null;

    /// <inheritdoc />
    public QmpException? DisconnectReason => Volatile.Read(ref _disconnectReason);

    /// <summary>Connects to the agent's unix socket <paramref name="socketPath"/> (see <see cref="ConnectAsync(QmpEndpoint, QgaClientOptions?, CancellationToken)"/>).</summary>
    public static Task<QgaClient> ConnectAsync(string socketPath, QgaClientOptions? options = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(QmpEndpoint.Parse(socketPath), options, cancellationToken);

    /// <summary>
    /// Connects and resynchronises (<c>guest-sync-delimited</c>) within <see cref="QgaClientOptions.ConnectTimeout"/>.
    /// An agent that is not running yet (a guest still booting) leaves the socket silent: that ends in
    /// <see cref="QmpErrorClasses.Timeout"/>.
    /// </summary>
    /// <exception cref="QmpException"><see cref="QmpErrorClasses.ConnectFailed"/>, <see cref="QmpErrorClasses.Timeout"/> or <see cref="QmpErrorClasses.Disconnected"/>.</exception>
    public static async Task<QgaClient> ConnectAsync(QmpEndpoint endpoint, QgaClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new QgaClientOptions();
        options.Validate();
        var stream = await endpoint.ConnectAsync(options.ConnectTimeout, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        var client = new QgaClient(endpoint, stream, options);
        try
        {
            await client.SyncAsync(options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        Log.QgaConnected(client._log, client._name);
        return client;
    }

    /// <inheritdoc />
    public Task<JsonNode> ExecuteAsync(string command, JsonObject? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        var request = Serialize(command, arguments);
        return RunAsync(command, timeout, async ct =>
        {
            if (_needsSync) await ResyncAsync(ct).ConfigureAwait(false);
            _needsSync = true; // until this call has read its own reply
            Log.QgaCommandSent(_log, _name, command);
            await _transport.WriteLineAsync(request, ct).ConfigureAwait(false);
            var line = await ReadLineAsync(command, ct).ConfigureAwait(false);
            _needsSync = false;
            return ParseReply(command, line);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SyncAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RunAsync<JsonNode>(SyncCommand, timeout, async ct =>
        {
            _needsSync = true;
            await ResyncAsync(ct).ConfigureAwait(false);
            return new JsonObject();
        }, cancellationToken);

    /// <summary>
    /// Ends the connection. A call in flight fails with <see cref="QmpErrorClasses.Disconnected"/>, and so does
    /// every later call. Safe to call more than once and concurrently with calls.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        MarkDisconnected(new QmpException(QmpErrorClasses.Disconnected, "the guest-agent client was disposed"));
        await _disposeCts.CancelAsync().ConfigureAwait(false);
        // Let a call in flight notice the cancellation and leave the transport before it is torn down.
        var drained = await _gate.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        try
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
            if (_pendingRead is { } read) await ObserveAsync(read).ConfigureAwait(false);
        }
        finally
        {
            if (drained) _gate.Release();
        }
    }

    /// <summary>Waits briefly for a read abandoned by a timed-out call, which the transport's dispose ends, and swallows its outcome.</summary>
    private static async Task ObserveAsync(Task read)
    {
        try
        {
            await read.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or QmpException or TimeoutException
                                      or System.Net.Sockets.SocketException or OperationCanceledException)
        {
        }
    }
}
