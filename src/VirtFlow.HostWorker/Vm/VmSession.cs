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
    private readonly SemaphoreSlim _jobsGate = new(1, 1);
    private readonly SemaphoreSlim _quiesceGate = new(1, 1);
    private readonly ConcurrentDictionary<string, MirrorRecord> _mirrors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _softCancelled = new(StringComparer.Ordinal);
    private QuiesceLease? _lease;
    private bool _leaseLookedFor;

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

    /// <summary>Whether the QMP monitor is connected now.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_clientGate) return _client is { State: QmpClientState.Running };
        }
    }

    /// <summary>The guest agent, connected on demand.</summary>
    public GuestAgent Agent { get; }

    /// <summary>The id of the quiesce lease held now, if any (a snapshot for reports; decisions take <see cref="LockQuiesceAsync"/>).</summary>
    public string? HeldLeaseId => Volatile.Read(ref _lease)?.Id;

    /// <summary>
    /// Serialises the block-job commands of this VM (mirror, complete, finalize, pivot, cancel, dismiss); dispose the
    /// result to let the next one in.
    /// </summary>
    public async Task<IDisposable> LockJobsAsync(CancellationToken ct)
    {
        await _jobsGate.WaitAsync(ct).ConfigureAwait(false);
        return new Releaser(_jobsGate);
    }

    /// <summary>
    /// Serialises quiesce, unquiesce, renew and lease expiry: the lease is read and changed only through the scope this
    /// returns (dispose it to let the next one in).
    /// </summary>
    public async Task<LeaseScope> LockQuiesceAsync(CancellationToken ct)
    {
        await _quiesceGate.WaitAsync(ct).ConfigureAwait(false);
        return new LeaseScope(this);
    }

    /// <summary>The mirror this worker started as job <paramref name="jobId"/>, if it knows it.</summary>
    public MirrorRecord? MirrorOf(string jobId) => _mirrors.GetValueOrDefault(jobId);

    /// <summary>Remembers a mirror this worker started (or found again); with <paramref name="keepKnown"/> a record already kept stays.</summary>
    public void RecordMirror(MirrorRecord record, bool keepKnown)
    {
        if (keepKnown) _mirrors.TryAdd(record.JobId, record);
        else _mirrors[record.JobId] = record;
    }

    /// <summary>Forgets the mirror of job <paramref name="jobId"/> (undone by a rollback).</summary>
    public void ForgetMirror(string jobId) => _mirrors.TryRemove(jobId, out _);

    /// <summary>Forgets all that is known of job <paramref name="jobId"/> (dismissed).</summary>
    public void ForgetJob(string jobId)
    {
        _mirrors.TryRemove(jobId, out _);
        _softCancelled.TryRemove(jobId, out _);
    }

    /// <summary>
    /// Job <paramref name="jobId"/> was cancelled without force by this worker: a READY mirror stops at pending and ends
    /// "completed" on the source, so its outcome is read as cancelled.
    /// </summary>
    public void MarkSoftCancelled(string jobId) => _softCancelled[jobId] = 0;

    /// <summary>This worker cancelled job <paramref name="jobId"/> without force.</summary>
    public bool IsSoftCancelled(string jobId) => _softCancelled.ContainsKey(jobId);

    /// <summary>How <paramref name="job"/> ended, if it is concluded, as <paramref name="view"/> shows its devices.</summary>
    public string? OutcomeOf(JobInfo job, BlockView? view) => JobOutcome.Of(job, view, TargetNodeOf(job.Id), IsSoftCancelled(job.Id));

    /// <summary>The target node of job <paramref name="jobId"/>: as recorded, else derived from the id.</summary>
    public string TargetNodeOf(string jobId) => _mirrors.TryGetValue(jobId, out var r) ? r.TargetNode : JobNames.TargetNode(jobId);

    /// <summary>" (disk vda)" when the job's disk is known, else "".</summary>
    public string DiskOf(string jobId) => _mirrors.TryGetValue(jobId, out var r) ? $" (disk {r.Device})" : "";

    /// <summary>The speed limit the mirror of <paramref name="jobId"/> was started with (0: none or unknown).</summary>
    private long SpeedOf(string jobId) => _mirrors.TryGetValue(jobId, out var r) ? r.Speed : 0;

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

    /// <summary>Releases <see cref="LockJobsAsync"/>'s lock, once.</summary>
    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
