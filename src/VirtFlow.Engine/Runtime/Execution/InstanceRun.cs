using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Runtime.State;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>
/// One run of one instance, under the instance's in-process lock: a deterministic re-walk of the step tree
/// over the persisted per-path state, which starts the ready activities (concurrently, as tasks), applies
/// their outcomes on this one logical thread, checkpoints after every outcome, and stops when the instance
/// is blocked (suspended on bookmarks) or final. Not thread-safe: one run per instance at a time.
/// </summary>
internal sealed partial class InstanceRun
{
    private readonly EngineCore _core;
    private readonly DefinitionIndex _def;
    private readonly InstanceState _state;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();

    private readonly Dictionary<string, ActivityExecution> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkItem> _ready = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PreparedCall> _prepared = new(StringComparer.Ordinal);

    private readonly ILogger _activityLogger;
    private readonly List<EngineEvent> _pendingEvents = [];
    private CancellationTokenSource? _runSource;
    private CancellationToken _runToken;
    private WorkflowInstance _instance;
    private Flow _rootFlow = Flow.Pending;
    private bool _changed;
    private bool _dirty;
    private bool _outcomeApplied;
    private int _accepted;
    private int _rejected;

    /// <param name="core">The engine's services.</param>
    /// <param name="definition">The instance's definition.</param>
    /// <param name="instance">The instance as stored.</param>
    /// <param name="committed">The state as this engine's last run of the instance left it committed, when the store still holds
    /// that version (see <see cref="Committed"/>): not read back from the store.</param>
    public InstanceRun(EngineCore core, DefinitionIndex definition, WorkflowInstance instance, InstanceState? committed = null)
    {
        _core = core;
        _def = definition;
        _instance = instance;
        _state = committed ?? StateJson.Read(instance.State);
        _logger = core.Logger;
        _activityLogger = core.LoggerFactory.CreateLogger("VirtFlow.Activities");
    }

    public string InstanceId => _instance.Id;

    /// <summary>
    /// After the run returned: the instance and its state exactly as its last commit stored them (nothing changed since), for
    /// the next run of this engine to go on from without reading them back; null when something is not committed.
    /// </summary>
    public (WorkflowInstance Instance, InstanceState State)? Committed => _dirty ? null : (_instance, _state);

    /// <summary>Outbox rows committed by this run's last commit (suspended or final), to dispatch once the instance lock is released.</summary>
    public List<OutboxMessage> CommittedOutbox { get; } = [];

    /// <summary>Asks the run to stop soon (instance cancellation): in-flight calls are cancelled, nothing new starts.</summary>
    public void RequestStop() => _stop.Cancel();

    public async Task<RunResult> RunAsync(RunAction action, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        var token = linked.Token;
        _runSource = linked;
        _runToken = token;
        try
        {
            if (!await ApplyActionAsync(action, ct)) return Result();
            if (_instance.IsFinal)
            {
                if (_dirty) await CommitAsync(_instance.Status, ct);
                return Result();
            }
            return await LoopAsync(token, ct);
        }
        finally
        {
            await DrainAfterAbortAsync();
        }
    }

    private async Task<RunResult> LoopAsync(CancellationToken token, CancellationToken ct)
    {
        while (true)
        {
            if (!token.IsCancellationRequested)
            {
                do Walk();
                while (StartReady());
            }
            else
            {
                _prepared.Clear();
            }

            if (_inFlight.Count == 0 && _prepared.Count == 0)
            {
                if (token.IsCancellationRequested)
                {
                    await CheckpointOnStopAsync();
                    ct.ThrowIfCancellationRequested();
                    return Result();
                }
                if (AcceptDueTimers()) continue;
                await FinishTurnAsync(ct);
                if (await MatchInboxAsync(ct))
                {
                    // The run goes on with events that came meanwhile: what the suspended commit holds goes out now, not
                    // when the run ends (a step's query to a host should not wait for the rest of the inbox).
                    DispatchCommittedNow();
                    continue;
                }
                return Result();
            }

            // Checkpoint after every outcome, and claim the instance (Running under this engine's lease) before
            // the first call of a run, always before the calls start: the commit records what is about to be in
            // flight (with its evaluated inputs), which is what a recovery re-runs, and an engine that lost the
            // instance to another one (ConcurrencyException here) starts no effect.
            // Calls of pure activities (effects only through this run's next commit) need neither: with nothing else in
            // flight or about to start, they run on the last commit, and a death before the next one loses nothing.
            // A long chain of pure calls still commits every MaxPureOutcomesPerCommit outcomes, and when the lease needs renewing.
            if (LeaseNeedsRenewal() || _pureOutcomesSinceCommit >= MaxPureOutcomesPerCommit
                || (!OnlyPureCalls() && (_outcomeApplied || (_prepared.Count > 0 && !HoldsLease()))))
                await CheckpointAsync(ct);
            LaunchPrepared();
            if (await MatchInboxAsync(ct)) continue;
            await WaitForOutcomesAsync(token);
            DrainCompleted();
        }
    }

    private RunResult Result() => new(_instance.Status, _accepted, _rejected);

    private void DispatchCommittedNow()
    {
        if (CommittedOutbox.Count == 0) return;
        _core.OutboxCommitted([.. CommittedOutbox]);
        CommittedOutbox.Clear();
    }

    /// <summary>Waits until an in-flight call ends, or the lease needs renewing.</summary>
    private async Task WaitForOutcomesAsync(CancellationToken token)
    {
        foreach (var e in _inFlight.Values)
        {
            if (e.Task.IsCompleted) return; // an outcome is there already (a pure call that did not wait): nothing to wait for
        }
        var tasks = new List<Task>(_inFlight.Count + 1);
        foreach (var e in _inFlight.Values) tasks.Add(e.Task);
        using var renew = CancellationTokenSource.CreateLinkedTokenSource(token);
        if (_instance.Status == InstanceStatus.Running && _instance.LeaseUntil is { } until)
        {
            var wait = until - _core.Options.LeaseDuration / 2 - _core.Now;
            tasks.Add(Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _core.Clock, renew.Token));
        }
        await Task.WhenAny(tasks).ConfigureAwait(false);
        await renew.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>Outcomes of pure calls a run applies at most between two commits (bounds the work a death redoes, and the journal held).</summary>
    internal const int MaxPureOutcomesPerCommit = 64;

    private int _pureOutcomesSinceCommit;

    private bool OnlyPureCalls() => _prepared.Values.All(p => p.Pure) && _inFlight.Values.All(e => e.Pure);

    private bool HoldsLease() =>
        _instance.Status == InstanceStatus.Running && _instance.LeaseOwner == _core.Options.EngineId && _instance.LeaseUntil > _core.Now;

    private bool LeaseNeedsRenewal() =>
        _instance.Status == InstanceStatus.Running
        && _instance.LeaseUntil is { } until
        && until - _core.Now < _core.Options.LeaseDuration / 2;

    private void DrainCompleted()
    {
        var done = new List<ActivityExecution>(_inFlight.Count);
        foreach (var e in _inFlight.Values)
        {
            if (e.Task.IsCompleted) done.Add(e);
        }
        if (done.Count > 1) done.Sort((a, b) => StringComparer.Ordinal.Compare(a.Path, b.Path));
        foreach (var execution in done)
        {
            _inFlight.Remove(execution.Path);
            ApplyOutcome(execution);
            _outcomeApplied = true;
            if (execution.Pure) _pureOutcomesSinceCommit++;
        }
    }

    /// <summary>After an exception (a lost race, a store error): waits for calls still in flight, discarding their outcomes.</summary>
    private async Task DrainAfterAbortAsync()
    {
        if (_inFlight.Count == 0) return;
        // every call's token is the run's or linked to it: the run ends here
        await _runSource!.CancelAsync().ConfigureAwait(false);
        foreach (var e in _inFlight.Values)
        {
            try
            {
                await e.Task.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.OutcomeDiscarded(_logger, ex, InstanceId, e.Path);
            }
            e.DisposeSources();
        }
        _inFlight.Clear();
    }

    /// <summary>Saves what was done before a stop request, so the cancellation that follows sees it.</summary>
    private async Task CheckpointOnStopAsync()
    {
        if (!_dirty) return;
        try
        {
            await CommitAsync(InstanceStatus.Running, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.StopCheckpointFailed(_logger, ex, InstanceId);
        }
    }

    private void Raise(EngineEvent e) => _pendingEvents.Add(e);
}
