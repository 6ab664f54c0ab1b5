using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// One VM as the worker holds it: the QMP connection (reconnected with backoff), the forwarding of its job events,
/// progress reports, the lazily connected guest agent, the quiesce lease, and locks that serialise commands.
/// </summary>
internal sealed partial class VmSession : IAsyncDisposable
{
    private readonly HostWorkerOptions _options;
    private readonly IHostEventSink _sink;
    private readonly HostEventFactory _events;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _clientGate = new();
    private CancellationTokenSource _snapshotAgain = new();
    private readonly ConcurrentDictionary<string, BlockJobDetail> _details = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _jobStatus = new(StringComparer.Ordinal);
    // The last status each job was seen to enter through QEMU's events, with QEMU's time of it: a snapshot that reports
    // the same status again reports the same time, so both copies of the fact are alike whichever reaches the engine first.
    private readonly ConcurrentDictionary<string, (string Status, DateTimeOffset At)> _statusSeen = new(StringComparer.Ordinal);
    private TaskCompletionSource<IQmpClient> _connected = NewConnectedSource();
    private IQmpClient? _client;
    private string? _lastConnectError;
    private volatile bool _everConnected;
    private readonly TaskCompletionSource<string> _unreachable = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _connection = Task.CompletedTask;
    private Task _progress = Task.CompletedTask;
    private readonly List<Task> _background = [];

    public VmSession(HostVm vm, HostWorkerOptions options, IHostEventSink sink, HostEventFactory events, ILogger logger)
    {
        Vm = vm;
        _options = options;
        _sink = sink;
        _events = events;
        _logger = logger;
        _time = options.TimeProvider;
        Agent = new GuestAgent(vm, options, logger);
    }

    public HostVm Vm { get; }

    public string Name => Vm.Name;

    /// <summary>Serialises the block-job commands of this VM (mirror, complete, finalize, pivot, cancel, dismiss).</summary>
    public SemaphoreSlim JobsLock { get; } = new(1, 1);

    /// <summary>Serialises quiesce, unquiesce, renew and lease expiry.</summary>
    public SemaphoreSlim QuiesceLock { get; } = new(1, 1);

    /// <summary>Mirrors started by this worker, by job id.</summary>
    public ConcurrentDictionary<string, MirrorRecord> Mirrors { get; } = new(StringComparer.Ordinal);

    /// <summary>Jobs this worker cancelled without force (a READY mirror that stops at pending and ends "completed" on the source).</summary>
    public ConcurrentDictionary<string, byte> SoftCancelled { get; } = new(StringComparer.Ordinal);

    /// <summary>The guest agent, connected on demand.</summary>
    public GuestAgent Agent { get; }

    /// <summary>The quiesce lease held, if any (read and written under <see cref="QuiesceLock"/>).</summary>
    public QuiesceLease? Lease { get; set; }

    /// <summary>The lease a previous worker left on disk was looked for (under <see cref="QuiesceLock"/>, once the monitor was held).</summary>
    public bool LeaseRecovered { get; set; }

    /// <summary>The target node of job <paramref name="jobId"/>: as recorded, else derived from the id.</summary>
    public string TargetNodeOf(string jobId) => Mirrors.TryGetValue(jobId, out var r) ? r.TargetNode : JobNames.TargetNode(jobId);

    /// <summary>" (disk vda)" when the job's disk is known, else "".</summary>
    public string DiskOf(string jobId) => Mirrors.TryGetValue(jobId, out var r) ? $" (disk {r.Device})" : "";

    public void Start()
    {
        _connection = Task.Run(() => ConnectionLoopAsync(_stop.Token));
        _progress = Task.Run(() => ProgressLoopAsync(_stop.Token));
    }

    /// <summary>
    /// The connected monitor; waits up to <see cref="HostWorkerOptions.ConnectWaitTimeout"/> for a (re)connect, except for a
    /// VM never connected whose socket is missing or refused (QEMU not running there): that fails at once.
    /// </summary>
    public async Task<IQmpClient> GetClientAsync(CancellationToken ct)
    {
        Task<IQmpClient> connected;
        lock (_clientGate)
        {
            if (_client is { State: QmpClientState.Running } client) return client;
            connected = _connected.Task;
        }
        var unreachable = _everConnected ? Task.Delay(Timeout.Infinite, ct) : _unreachable.Task;
        try
        {
            var first = await Task.WhenAny(connected, unreachable).WaitAsync(_options.ConnectWaitTimeout, _time, ct).ConfigureAwait(false);
            if (first == connected) return await connected.ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new HostCommandException(HostErrorClasses.VmUnavailable,
                $"VM {Name}: its QMP monitor {Vm.QmpSocket} is not connected ({_lastConnectError ?? "connecting"})");
        }
        throw new HostCommandException(HostErrorClasses.VmUnavailable,
            $"VM {Name}: its QMP socket {Vm.QmpSocket} cannot be reached ({await _unreachable.Task.ConfigureAwait(false)}): is QEMU running with this monitor?");
    }

    /// <summary>Waits, with no time limit, until the QMP monitor is connected (returns at once when it is).</summary>
    public async Task WaitConnectedAsync(CancellationToken ct)
    {
        Task<IQmpClient> connected;
        lock (_clientGate)
        {
            if (_client is { State: QmpClientState.Running }) return;
            connected = _connected.Task;
        }
        await connected.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Keeps <paramref name="task"/> (a lease expiry) so that dispose waits for it.</summary>
    public void TrackBackground(Task task)
    {
        lock (_background)
        {
            _background.RemoveAll(t => t.IsCompleted);
            _background.Add(task);
        }
    }

    /// <summary>Locks <paramref name="gate"/>; dispose the result to release.</summary>
    public static async Task<Releaser> LockAsync(SemaphoreSlim gate, CancellationToken ct)
    {
        await gate.WaitAsync(ct).ConfigureAwait(false);
        return new Releaser(gate);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Task[] background;
        lock (_background) background = [.. _background];
        try
        {
            await Task.WhenAll([_connection, _progress, .. background]).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await Agent.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        lock (_clientGate) _snapshotAgain.Dispose();
    }

    /// <summary>
    /// Hands <paramref name="e"/> to the sink and returns at once, without waiting for the broker to take it: the sink keeps
    /// call order and retries until it is out. Job events, snapshots and "gone" go this way, so a broker outage never
    /// holds up reading QEMU's events (or reconnecting to its monitor) and every event is read, queried and stamped when
    /// it happens. A failure is logged by <see cref="PublishAsync"/>.
    /// </summary>
    internal void Post(HostEvent e)
    {
        var published = PublishAsync(e, _stop.Token);
        if (!published.IsCompleted) _ = published.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        else if (published.IsFaulted) _ = published.Exception;
    }

    internal async Task PublishAsync(HostEvent e, CancellationToken ct)
    {
        try
        {
            await _sink.PublishAsync(e, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.PublishFailed(_logger, e.GetType().Name, e.EventId, ex);
        }
    }

    private static TaskCompletionSource<IQmpClient> NewConnectedSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Releases a lock taken with <see cref="LockAsync"/>.</summary>
    internal readonly struct Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
