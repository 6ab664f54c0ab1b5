using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>The cancel-until-concluded step that CancelJobs, the pivot's rollback and the mirror's rollback share.</summary>
internal static class JobCanceller
{
    /// <summary>
    /// Cancels every job of <paramref name="ids"/> not already over and waits until each is concluded (or gone).
    /// Without <paramref name="force"/> a READY mirror is cancelled softly: it stops at pending and is finalized here,
    /// leaving its target a point-in-time copy. A job already waiting or pending (completed, about to switch) is always
    /// force-cancelled: finalizing it would switch the VM to its target.
    /// </summary>
    public static async Task<bool> CancelAndWaitAsync(VmSession session, IQmpClient client, JobWaiter waiter, IReadOnlyList<string> ids,
        bool force, TimeSpan timeout, List<string> problems, CancellationToken ct)
    {
        var soft = new HashSet<string>(StringComparer.Ordinal);
        var sent = new List<(string Id, Task Call)>();
        foreach (var id in ids)
        {
            var status = waiter.Status(id);
            if (JobStates.Ended(status)) continue;
            if (!force && status is JobStatus.Ready or JobStatus.Standby or JobStatus.Running or JobStatus.Created or JobStatus.Paused)
            {
                // Before READY QEMU treats this as a forced cancel anyway; a job that turns READY meanwhile stops at pending.
                soft.Add(id);
                session.MarkSoftCancelled(id);
                sent.Add((id, client.BlockJobCancelAsync(id, false, null, ct)));
            }
            else
            {
                sent.Add((id, client.JobCancelAsync(id, null, ct)));
            }
        }
        var refused = new List<(string Id, string Problem)>();
        foreach (var (id, call) in sent)
        {
            try
            {
                await call.ConfigureAwait(false);
            }
            catch (QmpException e) when (e.IsQemuError)
            {
                // It may have ended meanwhile: the wait below tells.
                refused.Add((id, $"job {id}{session.DiskOf(id)}: cancel: {e.Description}"));
            }
        }

        async Task FinalizeSoftCancelled(string id, string status)
        {
            if (status != JobStatus.Pending || !soft.Remove(id)) return;
            try
            {
                await client.JobFinalizeAsync(id, null, ct).ConfigureAwait(false);
            }
            catch (QmpException e) when (e.IsQemuError)
            {
                problems.Add($"job {id}{session.DiskOf(id)}: finalize after cancel: {e.Description}");
            }
        }

        await waiter.RefreshAsync(ct).ConfigureAwait(false);
        foreach (var id in soft.ToList()) await FinalizeSoftCancelled(id, waiter.Status(id)).ConfigureAwait(false);
        var done = await waiter.WaitAsync(() => ids.All(id => JobStates.IsOver(waiter.Status(id))), timeout, FinalizeSoftCancelled, ct).ConfigureAwait(false);
        // A cancel refused because the job had just ended (its state says so, whatever QEMU's wording) is no problem.
        problems.AddRange(refused.Where(r => !JobStates.IsOver(waiter.Status(r.Id))).Select(r => r.Problem));
        return done;
    }
}
