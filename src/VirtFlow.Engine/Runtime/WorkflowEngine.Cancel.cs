using VirtFlow.Engine.Runtime.Execution;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime;

public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Cancels an instance: calls in flight here are stopped, suspended activities are abandoned
    /// (<see cref="Activities.IActivity.AbandonAsync"/>), finally blocks still run, bookmarks are removed, and the
    /// instance ends Cancelled with <paramref name="reason"/> (journaled). An instance running in another engine
    /// is fenced by optimistic concurrency: that engine's next commit fails and it stops.
    /// </summary>
    /// <returns>True when the instance is cancelled (or its finally blocks are still running); false when it was already final or does not exist.</returns>
    public async Task<bool> CancelAsync(string instanceId, string reason, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        var before = await _store.GetInstanceAsync(instanceId, ct).ConfigureAwait(false);
        if (before is null || before.IsFinal) return false;
        if (_activeRuns.TryGetValue(instanceId, out var active)) active.RequestStop();
        var result = await ExecuteAsync(instanceId, new RunAction.Cancel(reason), null, ct).ConfigureAwait(false);
        Log.InstanceCancelRequested(_logger, instanceId, reason);
        return result.Status is InstanceStatus.Cancelled or InstanceStatus.Running or InstanceStatus.Suspended;
    }
}
