using System.Collections.Concurrent;
using VirtFlow.Engine.Runtime.State;
using VirtFlow.Engine.Runtime.Execution;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime;

public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Runs an instance under its in-process lock. When another engine changed it meanwhile (optimistic
    /// concurrency), reloads and tries again, up to <see cref="WorkflowEngineOptions.ConcurrencyRetries"/> times.
    /// Commands committed by the run are dispatched once the lock is released. <c>preloaded</c>: the instance as the caller
    /// just stored it, with its state when the caller has it as an object (a start: not read back from the JSON it just
    /// wrote); used by the first attempt only.
    /// </summary>
    private async Task<RunResult> ExecuteAsync(string instanceId, RunAction action, (WorkflowInstance Instance, InstanceState? State)? preloaded, CancellationToken ct)
    {
        var dispatch = new List<OutboxMessage>();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                using (await _locks.AcquireAsync(instanceId, ct).ConfigureAwait(false))
                {
                    // The state this engine's last run committed, if the store still holds that version: a run then costs
                    // what it changes, not a read of the whole instance (a fleet's thousandth reply as its first).
                    var warm = preloaded is null && _committed.TryRemove(instanceId, out var kept)
                        && await _store.GetInstanceVersionAsync(instanceId, ct).ConfigureAwait(false) == kept.Instance.Version
                        ? kept
                        : ((WorkflowInstance Instance, InstanceState State)?)null;
                    var instance = warm?.Instance ?? preloaded?.Instance ?? await _store.GetInstanceAsync(instanceId, ct).ConfigureAwait(false);
                    var state = warm?.State ?? preloaded?.State;
                    preloaded = null;
                    if (instance is null) return RunResult.NotFound;
                    if (action is not RunAction.Cancel && IsOwnedElsewhere(instance))
                    {
                        Log.InstanceBusy(_logger, instanceId, instance.LeaseOwner);
                        return RunResult.BusyElsewhere;
                    }
                    var index = await IndexByHashAsync(instance.DefinitionHash, ct).ConfigureAwait(false);
                    var run = new InstanceRun(_core, index, instance, state);
                    _activeRuns[instanceId] = run;
                    try
                    {
                        var result = await run.RunAsync(action, ct).ConfigureAwait(false);
                        KeepCommitted(instanceId, run);
                        return result;
                    }
                    catch (ConcurrencyException) when (attempt < _options.ConcurrencyRetries)
                    {
                        Log.ConcurrencyConflict(_logger, instanceId, attempt);
                    }
                    finally
                    {
                        _activeRuns.TryRemove(KeyValuePair.Create(instanceId, run));
                        dispatch.AddRange(run.CommittedOutbox);
                    }
                }
                await Task.Yield();
            }
        }
        finally
        {
            if (dispatch.Count > 0 && !ct.IsCancellationRequested) await DispatchAsync(dispatch, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Instances whose last run here ended with everything committed: their state as stored, at most <see cref="MaxCommittedKept"/>.</summary>
    private readonly ConcurrentDictionary<string, (WorkflowInstance Instance, InstanceState State)> _committed = new(StringComparer.Ordinal);

    private const int MaxCommittedKept = 64;

    private void KeepCommitted(string instanceId, InstanceRun run)
    {
        if (run.Committed is not { } committed || committed.Instance.IsFinal) return;
        if (_committed.Count >= MaxCommittedKept)
        {
            foreach (var key in _committed.Keys.Take(_committed.Count - MaxCommittedKept + 1)) _committed.TryRemove(key, out _);
        }
        _committed[instanceId] = committed;
    }

    /// <summary>Running under another engine's lease that has not run out: that engine is working on it.</summary>
    private bool IsOwnedElsewhere(WorkflowInstance instance) =>
        instance.Status == InstanceStatus.Running
        && instance.LeaseOwner is not null
        && instance.LeaseOwner != _options.EngineId
        && instance.LeaseUntil >= _core.Now;
}
