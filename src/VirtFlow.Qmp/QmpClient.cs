using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VirtFlow.Qmp.Transport;

namespace VirtFlow.Qmp;

/// <summary>
/// A QMP client over a unix socket or TCP. <see cref="ConnectAsync(string, QmpClientOptions?, CancellationToken)"/>
/// reads the greeting and negotiates <c>qmp_capabilities</c> before the read loop starts; afterwards any number
/// of callers may run commands at once (replies matched by id, writes serialized) and listen to events.
/// When the socket closes every pending call fails at once with <see cref="QmpErrorClasses.Disconnected"/>.
/// </summary>
/// <remarks>Reconnecting is the owner's policy: watch <see cref="Disconnected"/> and connect a new client.</remarks>
public sealed partial class QmpClient : IQmpClient
{
    private readonly JsonLineTransport _transport;
    private readonly QmpClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _endpoint;
    private readonly ConcurrentDictionary<string, PendingCommand> _pending = new(StringComparer.Ordinal);
    private readonly QmpEventHub _events;
    private readonly TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopReading = new();
    private Task _readLoop = Task.CompletedTask;
    private QmpGreeting? _greeting;
    private QmpException? _disconnectReason;
    private long _nextId;
    private int _state;
    private int _disposed;

    private QmpClient(Stream stream, QmpClientOptions options, string endpoint)
    {
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _time = options.TimeProvider;
        _endpoint = endpoint;
        _transport = new JsonLineTransport(stream, options.MaxMessageBytes);
        _events = new QmpEventHub(options.EventHistoryCapacity, options.EventListenerCapacity, _time, _logger);
    }

    /// <inheritdoc />
    public QmpClientState State => (QmpClientState)Volatile.Read(ref _state);

    /// <inheritdoc />
    public QmpGreeting Greeting => _greeting ?? throw new InvalidOperationException("not negotiated yet");

    /// <inheritdoc />
    public Task Disconnected => _disconnected.Task;

    /// <inheritdoc />
    public QmpException? DisconnectReason => Volatile.Read(ref _disconnectReason);

    /// <inheritdoc />
    public long EventSequence => _events.Sequence;

    /// <summary>The endpoint this client talks to, as text (<c>unix:/path</c>, <c>tcp:host:port</c>).</summary>
    public string Endpoint => _endpoint;

    /// <summary>The default timeout of commands.</summary>
    public TimeSpan DefaultTimeout => _options.DefaultTimeout;

    /// <summary>Connects to <paramref name="endpoint"/> (<c>PATH</c>, <c>unix:PATH</c> or <c>tcp:HOST:PORT</c>) and negotiates.</summary>
    /// <exception cref="QmpException"><see cref="QmpErrorClasses.ConnectFailed"/> (no socket, refused) or <see cref="QmpErrorClasses.Protocol"/> (not QMP).</exception>
    public static Task<QmpClient> ConnectAsync(string endpoint, QmpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        QmpEndpoint parsed;
        try
        {
            parsed = QmpEndpoint.Parse(endpoint);
        }
        catch (FormatException e)
        {
            throw new QmpException(QmpErrorClasses.ConnectFailed, e.Message);
        }
        return ConnectAsync(parsed, options, cancellationToken);
    }

    /// <summary>Connects to <paramref name="endpoint"/> and negotiates.</summary>
    /// <exception cref="QmpException"><see cref="QmpErrorClasses.ConnectFailed"/> (no socket, refused) or <see cref="QmpErrorClasses.Protocol"/> (not QMP).</exception>
    public static async Task<QmpClient> ConnectAsync(QmpEndpoint endpoint, QmpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new QmpClientOptions();
        options.Validate();
        var stream = await endpoint.ConnectAsync(options.ConnectTimeout, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        return await StartAsync(stream, options, endpoint.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Negotiates over an already connected <paramref name="stream"/>, which the client then owns.</summary>
    /// <exception cref="QmpException"><see cref="QmpErrorClasses.Protocol"/> when the peer does not speak QMP.</exception>
    public static Task<QmpClient> ConnectAsync(Stream stream, QmpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new QmpClientOptions();
        options.Validate();
        return StartAsync(stream, options, "stream", cancellationToken);
    }

    private static async Task<QmpClient> StartAsync(Stream stream, QmpClientOptions options, string endpoint, CancellationToken cancellationToken)
    {
        var client = new QmpClient(stream, options, endpoint);
        try
        {
            await client.NegotiateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        Volatile.Write(ref client._state, (int)QmpClientState.Running);
        client._readLoop = Task.Run(client.ReadLoopAsync, CancellationToken.None);
        Log.Connected(client._logger, endpoint, client.Greeting.Version.ToString());
        return client;
    }

    /// <inheritdoc />
    public QmpEventSubscription Subscribe(Func<QmpEvent, bool>? filter = null, long? replayAfter = null, int? capacity = null) =>
        _events.Subscribe(filter, replayAfter, capacity);

    /// <summary>
    /// Closes the connection: pending calls fail with <see cref="QmpErrorClasses.Disconnected"/>, listeners end.
    /// Safe to call more than once and concurrently with calls.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            await _disconnected.Task.ConfigureAwait(false);
            return;
        }
        await _stopReading.CancelAsync().ConfigureAwait(false);
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        finally
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
            OnDisconnected(new QmpException(QmpErrorClasses.Disconnected, "the client was disposed"));
            _stopReading.Dispose();
        }
    }

    private void OnDisconnected(QmpException reason)
    {
        if (Interlocked.CompareExchange(ref _disconnectReason, reason, null) is not null) return;
        Volatile.Write(ref _state, (int)QmpClientState.Disconnected);
        var failed = 0;
        foreach (var (id, pending) in _pending)
        {
            if (_pending.TryRemove(id, out _) && pending.TrySetException(new QmpException(reason.ErrorClass, reason.Description, pending.Command, reason.InnerException)))
                failed++;
        }
        _events.Complete(reason);
        Log.Disconnected(_logger, _endpoint, reason.ErrorClass, reason.Description, failed);
        _disconnected.TrySetResult();
    }
}
