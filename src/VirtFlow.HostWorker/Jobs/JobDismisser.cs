using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// job-dismiss concluded jobs, then remove the nodes they left that no device uses, and the target files this worker created
/// that are partial or asked for: DismissJobs, and PivotJobs with Dismiss after its switch (on the view it already read).
/// </summary>
internal sealed class JobDismisser(WorkerContext context)
{
    /// <summary>
    /// Dismisses the jobs <paramref name="ids"/> and removes the nodes they leave that no device uses, as <paramref name="view"/>
    /// (read under <see cref="VmSession.LockJobsAsync"/>, which the caller holds) shows them; every call is pipelined.
    /// </summary>
    /// <returns>What was done, and the job-dismiss failures (null when none).</returns>
    /// <exception cref="HostCommandException">A job is not concluded yet: nothing was dismissed.</exception>
    public async Task<(DismissJobsResult Result, string? Problems)> DismissAsync(VmSession session, IQmpClient client, BlockView view,
        IReadOnlyList<string> ids, IEnumerable<string>? nodes, CancellationToken ct, bool deleteTargets = false)
    {
        var vm = session.Name;
        var running = ids.Where(id => view.Job(id) is { } job && job.Status != JobStatus.Concluded).ToList();
        if (running.Count > 0)
            throw new HostCommandException(HostErrorClasses.JobNotReady, $"VM {vm}: DismissJobs: " +
                string.Join("; ", running.Select(id => $"job {id}{session.DiskOf(id)} is {view.Job(id)!.Status}, not concluded")) + "; nothing was dismissed");

        var states = ids.Select(id => JobStates.Of(session, view, id, acted: view.Job(id) is not null)).ToList();

        // The nodes these jobs leave: the target (used by the device after a pivot, else unused) and the source
        // (unused after a pivot) as recorded, the derived target name, and the nodes the caller names. Dismissing a job
        // changes no device's medium, so the view says which of them are in use.
        var candidates = new List<string>();
        foreach (var id in ids)
        {
            if (session.MirrorOf(id) is { } record)
            {
                if (record.SourceNode is { } source) candidates.Add(source);
                candidates.Add(record.TargetNode);
            }
            candidates.Add(JobNames.TargetNode(id));
        }
        candidates.AddRange(nodes ?? []);
        var kept = new List<KeptNode>();
        var unused = new List<string>();
        foreach (var node in candidates.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.Ordinal))
        {
            if (view.Node(node) is null) continue;
            if (view.DeviceUsing(node) is { } device) kept.Add(new KeptNode(node, $"used by device {device}"));
            else unused.Add(node);
        }

        // Pipelined, in this order (QEMU runs them one after the other all the same): the dismisses, then the removals.
        var dismissals = ids.Where(id => view.Job(id) is not null).Select(id => (Id: id, Call: client.JobDismissAsync(id, null, ct))).ToList();
        var removals = unused.Select(node => (Node: node, Call: client.BlockdevDelAsync(node, null, ct))).ToList();
        var problems = new List<string>();
        foreach (var (id, call) in dismissals)
        {
            try
            {
                await call.ConfigureAwait(false);
            }
            catch (QmpException e) when (e.IsQemuError)
            {
                problems.Add($"job {id}{session.DiskOf(id)}: job-dismiss: {e.Description}");
            }
        }
        var removed = new List<string>();
        foreach (var (node, call) in removals)
        {
            try
            {
                await call.ConfigureAwait(false);
                removed.Add(node);
            }
            catch (QmpException e) when (e.IsQemuError)
            {
                Log.NodeKept(context.Logger, vm, node, e.Description);
                kept.Add(new KeptNode(node, e.Description));
            }
        }
        var deleted = DeleteCreatedTargets(session, view, states, kept, deleteTargets, problems);
        foreach (var id in ids) session.ForgetJob(id);
        return (new DismissJobsResult(states, removed, kept) { DeletedFiles = deleted }, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    /// <summary>
    /// Deletes the target files this worker created for <paramref name="states"/>' jobs (and only those) that no device
    /// uses: a partial copy (the job failed or was force-cancelled) always, a complete one with <paramref name="all"/>.
    /// A created target a device uses (the VM switched to it) is the VM's disk from now on: its record is dropped.
    /// </summary>
    private List<string> DeleteCreatedTargets(VmSession session, BlockView view, List<JobState> states, List<KeptNode> kept, bool all, List<string> problems)
    {
        var deleted = new List<string>();
        foreach (var state in states)
        {
            if (context.CreatedTargets.Find(session.Name, state.JobId) is not { } created) continue;
            var node = session.TargetNodeOf(state.JobId);
            if (view.DeviceUsing(node) is not null || view.Blocks.Any(b => RealPath.IsSame(b.Inserted?.File, created.Target)))
            {
                context.CreatedTargets.Remove(session.Name, state.JobId);
                continue;
            }
            if (!all && state.Error is null) continue;
            if (kept.Any(k => k.Node == node)) continue; // QEMU still holds it open
            if (context.Roots.Inside(created.Target) != created.Target)
            {
                problems.Add($"file {created.Target} of job {state.JobId} not deleted: it is not under the storage roots ({context.Roots.Describe()}) anymore");
                continue;
            }
            try
            {
                File.Delete(created.Target);
                deleted.Add(created.Target);
                context.CreatedTargets.Remove(session.Name, state.JobId);
                Log.TargetDeleted(context.Logger, session.Name, state.JobId, created.Target);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"file {created.Target} of job {state.JobId} not deleted: {e.Message}");
            }
        }
        return deleted;
    }
}
