using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// The worker of one host: holds a QMP connection per VM (<see cref="VmSession"/>: reconnecting with backoff, reporting a
/// snapshot after each connect, forwarding job events and progress to an <see cref="IHostEventSink"/>), and runs
/// <see cref="HostCommand"/>s idempotently (<see cref="HandleAsync"/>), each by its own handler (<see cref="HandlerTable"/>).
/// Transport-neutral: the MassTransit adapter in <c>Messaging/</c> only feeds it.
/// </summary>
/// <remarks>Call <see cref="StartAsync"/> once; <see cref="DisposeAsync"/> releases every quiesce lease (thaw, resume) before stopping.</remarks>
public sealed class HostWorker : IAsyncDisposable
{
    private static readonly TimeSpan OfflineTimeout = TimeSpan.FromSeconds(5);
    private readonly HostWorkerOptions _options;
    private readonly IHostEventSink _sink;
    private readonly ILogger _logger;
    private readonly WorkerContext _context;
    private readonly Dictionary<string, VmSession> _sessions = new(StringComparer.Ordinal);
    private readonly HandlerTable _handlers;
    private readonly CommandRunner _runner;
    private readonly CancellationTokenSource _stopping = new();
    private Task _heartbeat = Task.CompletedTask;
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
        _context = new WorkerContext(options, _logger, _stopping.Token);
        foreach (var vm in options.Vms)
            _sessions[vm.Name] = new VmSession(vm, options, sink, _context.Events, _logger);
        _handlers = new HandlerTable(_context);
        _runner = new CommandRunner(_context, _sessions, sink, _handlers, () => Volatile.Read(ref _disposed) == 1);
    }

    /// <summary>The host served.</summary>
    public string HostId => _options.HostId;

    /// <summary>The worker's version, as its assembly says (reported online and in every heartbeat).</summary>
    public static string Version { get; } =
        typeof(HostWorker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(HostWorker).Assembly.GetName().Version?.ToString() ?? "unknown";

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
        foreach (var warning in _context.QmpPolicy.Warnings()) Log.QmpAllowed(_logger, warning);
        await PublishQuietlyAsync(_context.Events.Online(_options.WorkerId, Version, [.. _sessions.Keys]), ct).ConfigureAwait(false);
        _heartbeat = Task.Run(() => HeartbeatAsync(_stopping.Token), CancellationToken.None);
        var checks = new List<Task>();
        foreach (var session in _sessions.Values.Where(s => _context.LeaseFiles is not null || s.Agent.IsConfigured))
        {
            var check = Task.Run(() => _handlers.Leases.RecoverAsync(session, _stopping.Token), CancellationToken.None);
            session.TrackBackground(check);
            checks.Add(check);
        }
        StartupChecks = Task.WhenAll(checks);
    }

    /// <summary>The checks <see cref="StartAsync"/> runs in the background (leases left on disk, guests frozen without a lease); for tests.</summary>
    internal Task StartupChecks { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Runs <paramref name="command"/> and publishes its <see cref="CommandResult"/> to the sink (also returned).
    /// A command id seen before gets the first result again (the work is not repeated), also while it still runs.
    /// Failures are results (<see cref="CommandResult.ErrorClass"/>), never exceptions; only a failing sink and
    /// cancellation by <paramref name="ct"/> throw (a cancelled execution is forgotten, so a retry runs it again), and,
    /// with <see cref="HostWorkerOptions.RequeueWhenStopping"/>, a command the stopping worker did not run to its end
    /// (<see cref="HostWorkerStoppingException"/>, nothing published: the next worker runs it).
    /// </summary>
    public Task<CommandResult> HandleAsync(HostCommand command, CancellationToken ct) => _runner.HandleAsync(command, ct);

    /// <summary>
    /// Publishes a fresh <see cref="VmJobsSnapshot"/> (and a <see cref="JobStatusChanged"/> per job) for every connected VM
    /// (docs/rules.md#r3-reconcile: after a broker outage an engine may have missed events); a VM not connected reports on its next connect
    /// anyway. Returns at once.
    /// </summary>
    /// <param name="reason">Why, for the log.</param>
    public void ReportAgain(string reason)
    {
        if (Volatile.Read(ref _disposed) == 1 || Volatile.Read(ref _started) == 0) return;
        Log.ReportingAgain(_logger, reason);
        foreach (var session in _sessions.Values) session.RequestSnapshot();
    }

    /// <summary>
    /// Creates <see cref="HostWorkerOptions.StateDirectory"/> (when set) and checks that the worker can write in it.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public static void PrepareStateDirectory(HostWorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.StateDirectory is not { } dir) return;
        try
        {
            new LeaseFiles(dir, options.HostId).Prepare();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"state directory {dir}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new IOException($"state directory {dir}: {e.Message}", e);
        }
    }

    /// <summary>Releases every quiesce lease (thaw, resume), publishes <see cref="WorkerOffline"/>, closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        foreach (var session in _sessions.Values)
            await _handlers.Leases.ReleaseOnShutdownAsync(session).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);
        if (Volatile.Read(ref _started) == 1)
        {
            // Bounded: with the broker away, stopping must not wait for it (the next worker's snapshot tells the engine).
            using var limit = new CancellationTokenSource(OfflineTimeout);
            try
            {
                await _sink.PublishAsync(_context.Events.Offline(_options.WorkerId), limit.Token).ConfigureAwait(false);
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

    /// <summary>A <see cref="WorkerHeartbeat"/> every <see cref="HostWorkerOptions.HeartbeatInterval"/> until the worker stops.</summary>
    private async Task HeartbeatAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _context.Time);
        long sequence = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var vms = _sessions.Values.Select(s => new WorkerVm(s.Name, s.IsConnected)).ToList();
                await PublishQuietlyAsync(_context.Events.Heartbeat(_options.WorkerId, Version, ++sequence, vms), stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
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
