using VirtFlow.Engine.Runtime.Execution;

namespace VirtFlow.Engine.Runtime;

public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Takes over instances whose engine died (Running with an expired lease), one pass: each is claimed with
    /// a commit (one engine wins), journaled as <c>RecoveredAfterCrash</c>, and continued from its last
    /// checkpoint: completed steps are kept, steps that were in flight run again with the same command ids.
    /// </summary>
    /// <returns>How many instances were recovered.</returns>
    public async Task<int> RecoverOrphansAsync(CancellationToken ct = default)
    {
        var ids = await _store.FindOrphanedInstancesAsync(_core.Now, _options.BatchSize, ct).ConfigureAwait(false);
        var recovered = 0;
        await ForEachInstanceAsync(ids, async (id, token) =>
        {
            var result = await ExecuteAsync(id, RunAction.Recover, null, token).ConfigureAwait(false);
            if (result.Status is not null) Interlocked.Increment(ref recovered);
        }, ct).ConfigureAwait(false);
        return recovered;
    }
}
