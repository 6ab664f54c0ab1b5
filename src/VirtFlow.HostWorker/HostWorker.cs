using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// The worker of one host: holds a QMP connection per VM (reconnecting with backoff, reporting a snapshot after each
/// connect), forwards job events and progress to an <see cref="IHostEventSink"/>, and runs <see cref="HostCommand"/>s
/// idempotently (<see cref="HandleAsync"/>). Transport-neutral: the MassTransit adapter in <c>Messaging/</c> only feeds it.
/// </summary>
/// <remarks>Call <see cref="Start"/> once; <see cref="DisposeAsync"/> releases every quiesce lease (thaw, resume) before stopping.</remarks>
public sealed partial class HostWorker : IAsyncDisposable
{
    private static readonly TimeSpan OfflineTimeout = TimeSpan.FromSeconds(5);
    private readonly HostWorkerOptions _options;
    private readonly IHostEventSink _sink;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HostEventFactory _events;
    private readonly Dictionary<string, VmSession> _sessions = new(StringComparer.Ordinal);
    private readonly CommandResultCache _results;
    private readonly StorageRoots _roots;
    private readonly QemuImgTool _qemuImg;
    private readonly Policy.QmpPolicy _qmpPolicy;
    private readonly CreatedTargets _createdTargets;
    private readonly LeaseFiles? _leaseFiles;
    private readonly CancellationTokenSource _stopping = new();
    private int _started;
    private int _disposed;

    public HostWorker(HostWorkerOptions options, IHostEventSink sink, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        options.Validate();
        _options = options;
        _sink = sink;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<HostWorker>();
        _time = options.TimeProvider;
        _events = new HostEventFactory(options.HostId, _time);
        _results = new CommandResultCache(options.ResultCacheCapacity);
        _roots = new StorageRoots(options.StorageRoots);
        _qemuImg = new QemuImgTool(options.QemuImg);
        _qmpPolicy = new Policy.QmpPolicy(options.HostId, options.AllowQmp, _roots);
        _createdTargets = new CreatedTargets(options.StateDirectory, options.HostId);
        if (options.StateDirectory is { } stateDirectory) _leaseFiles = new LeaseFiles(stateDirectory, options.HostId);
        foreach (var vm in options.Vms)
            _sessions[vm.Name] = new VmSession(vm, options, sink, _events, _logger);
    }

    /// <summary>The host served.</summary>
    public string HostId => _options.HostId;

    /// <summary>The VMs served, by name.</summary>
    public IReadOnlyCollection<string> Vms => _sessions.Keys;

    /// <summary>
    /// Holds back the event forwarding and progress queries of VM <paramref name="vm"/>'s session until disposed (what a pivot
    /// does while it holds the guest). For benchmarks: a worker connected to a VM another caller drives stays quiet meanwhile.
    /// </summary>
    internal IDisposable HoldQueries(string vm) => _sessions[vm].HoldQueries();

    /// <summary>
    /// Connects to every VM in the background, publishes <see cref="WorkerOnline"/>, and, once each VM's monitor is held,
    /// takes over the quiesce lease a previous worker left in <see cref="HostWorkerOptions.StateDirectory"/> (ending it when
    /// it ran out: a VM it paused runs again) and thaws any guest found frozen without a lease (a previous worker died
    /// holding it). Returns at once; commands wait for their VM's connection.
    /// </summary>
    /// <exception cref="IOException">The state directory cannot be created or written.</exception>
    public async Task StartAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (Interlocked.Exchange(ref _started, 1) == 1) return;
        PrepareStateDirectory(_options);
        foreach (var session in _sessions.Values) session.Start();
        Log.WorkerStarted(_logger, _options.WorkerId, HostId, string.Join(", ", _sessions.Keys));
        foreach (var warning in _qmpPolicy.Warnings()) Log.QmpAllowed(_logger, warning);
        await PublishQuietlyAsync(_events.Online(_options.WorkerId, [.. _sessions.Keys]), ct).ConfigureAwait(false);
        var checks = new List<Task>();
        foreach (var session in _sessions.Values.Where(s => _leaseFiles is not null || s.Agent.IsConfigured))
        {
            var check = Task.Run(() => RecoverAsync(session, _stopping.Token), CancellationToken.None);
            session.TrackBackground(check);
            checks.Add(check);
        }
        StartupChecks = Task.WhenAll(checks);
    }

    /// <summary>The checks <see cref="StartAsync"/> runs in the background (leases left on disk, guests frozen without a lease); for tests.</summary>
    internal Task StartupChecks { get; private set; } = Task.CompletedTask;

    /// <summary>Releases every quiesce lease (thaw, resume), publishes <see cref="WorkerOffline"/>, closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        foreach (var session in _sessions.Values)
            await ReleaseOnShutdownAsync(session).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _started) == 1)
        {
            // Bounded: with the broker away, stopping must not wait for it (the next worker's snapshot tells the engine).
            using var limit = new CancellationTokenSource(OfflineTimeout);
            try
            {
                await _sink.PublishAsync(_events.Offline(_options.WorkerId), limit.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.PublishFailed(_logger, nameof(WorkerOffline), _options.WorkerId, ex);
            }
        }
        foreach (var session in _sessions.Values)
            await session.DisposeAsync().ConfigureAwait(false);
        Log.WorkerStopped(_logger, _options.WorkerId, HostId);
        // _stopping is left undisposed: a lease timer that fired during shutdown may still read its token.
    }

    private async Task PublishQuietlyAsync(HostEvent e, CancellationToken ct)
    {
        try
        {
            await _sink.PublishAsync(e, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.PublishFailed(_logger, e.GetType().Name, e.EventId, ex);
        }
    }
}
