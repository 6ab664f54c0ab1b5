using VirtFlow.Engine.Runtime.Execution;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime;

public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Runs an instance under its in-process lock. When another engine changed it meanwhile (optimistic
    /// concurrency), reloads and tries again, up to <see cref="WorkflowEngineOptions.ConcurrencyRetries"/> times.
    /// Commands committed by the run are dispatched once the lock is released.
    /// </summary>
    private async Task<RunResult> ExecuteAsync(string instanceId, RunAction action, WorkflowInstance? preloaded, CancellationToken ct)
    {
        var dispatch = new List<OutboxMessage>();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                using (await _locks.AcquireAsync(instanceId, ct).ConfigureAwait(false))
                {
                    var instance = preloaded ?? await _store.GetInstanceAsync(instanceId, ct).ConfigureAwait(false);
                    preloaded = null;
                    if (instance is null) return RunResult.NotFound;
                    if (action is not RunAction.Cancel && IsOwnedElsewhere(instance))
                    {
                        Log.InstanceBusy(_logger, instanceId, instance.LeaseOwner);
                        return RunResult.BusyElsewhere;
                    }
                    var index = await IndexByHashAsync(instance.DefinitionHash, ct).ConfigureAwait(false);
                    var run = new InstanceRun(_core, index, instance);
                    _activeRuns[instanceId] = run;
                    try
                    {
                        return await run.RunAsync(action, ct).ConfigureAwait(false);
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

    /// <summary>Running under another engine's lease that has not run out: that engine is working on it.</summary>
    private bool IsOwnedElsewhere(WorkflowInstance instance) =>
        instance.Status == InstanceStatus.Running
        && instance.LeaseOwner is not null
        && instance.LeaseOwner != _options.EngineId
        && instance.LeaseUntil >= _core.Now;
}
