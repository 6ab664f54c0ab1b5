using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>Undoing a failed MirrorDisks: cancel and dismiss its jobs, remove its nodes, delete the files it created.</summary>
internal sealed class MirrorRollback(WorkerContext context)
{
    public static readonly TimeSpan RollbackTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs to the end whatever happens (no cancellation token): all or nothing.</summary>
    public async Task<MirrorFailure> RollBackAsync(VmSession session, IQmpClient client, List<MirrorStep> steps)
    {
        var ct = CancellationToken.None;
        var problems = new List<string>();
        var cancelled = new List<string>();
        var removed = new List<string>();
        var deleted = new List<string>();
        var jobs = steps.Where(s => s.JobStarted || (s.Existing && s.Status is not (JobStatus.Concluded or JobStatus.Null)))
            .Select(s => s.Plan.JobId).ToList();
        try
        {
            if (jobs.Count > 0) await CancelForRollbackAsync(session, client, jobs, cancelled, problems).ConfigureAwait(false);
            foreach (var step in Enumerable.Reverse(steps))
            {
                var ours = step.NodeAdded || step.NodeReused || (step.Existing && cancelled.Contains(step.Plan.JobId));
                if (!ours) continue;
                try
                {
                    await client.BlockdevDelAsync(step.Plan.TargetNode, null, ct).ConfigureAwait(false);
                    removed.Add(step.Plan.TargetNode);
                }
                catch (QmpException e)
                {
                    problems.Add($"node {step.Plan.TargetNode} not removed: {e.Description}");
                }
            }
        }
        catch (QmpException e) when (!e.IsQemuError)
        {
            problems.Add($"QMP lost during the rollback: {e.Message}");
        }
        foreach (var step in steps)
        {
            var plan = step.Plan;
            // Only a file this worker created for this job (recorded, also by an earlier worker) is deleted; never a file that was there.
            var createdEarlier = step.Existing && cancelled.Contains(plan.JobId) && context.CreatedTargets.Find(session.Name, plan.JobId)?.Target == plan.Target;
            try
            {
                if (step.Created || createdEarlier)
                {
                    File.Delete(plan.Target);
                    deleted.Add(plan.Target);
                    context.CreatedTargets.Remove(session.Name, plan.JobId);
                }
                else if (step.WasEmpty)
                {
                    File.WriteAllBytes(plan.Target, []);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"file {plan.Target} not deleted: {e.Message}");
            }
            if (cancelled.Contains(plan.JobId)) session.ForgetMirror(plan.JobId);
        }
        var failed = steps.Count > 0 ? steps[^1].Plan.Device : "";
        Log.MirrorRolledBack(context.Logger, session.Name, failed, string.Join(", ", cancelled), string.Join(", ", removed), string.Join(", ", deleted));
        return new MirrorFailure(failed, cancelled, removed, deleted, problems);
    }

    private async Task CancelForRollbackAsync(VmSession session, IQmpClient client, List<string> jobs, List<string> cancelled, List<string> problems)
    {
        var ct = CancellationToken.None;
        using var waiter = new JobWaiter(client, jobs, context.Time);
        await waiter.RefreshAsync(ct).ConfigureAwait(false);
        if (!await JobCanceller.CancelAndWaitAsync(session, client, waiter, jobs, force: true, RollbackTimeout, problems, ct).ConfigureAwait(false))
            problems.Add("jobs not concluded in time: " + string.Join(", ", jobs.Select(id => $"{id}={waiter.Status(id)}")));
        foreach (var id in jobs.Where(id => waiter.Status(id) == JobStatus.Concluded))
        {
            try
            {
                await client.JobDismissAsync(id, null, ct).ConfigureAwait(false);
                cancelled.Add(id);
            }
            catch (QmpException e) when (e.IsQemuError)
            {
                problems.Add($"job {id} not dismissed: {e.Description}");
            }
        }
        cancelled.AddRange(jobs.Where(id => waiter.Status(id) == JobStatus.Null && !cancelled.Contains(id)));
    }
}
