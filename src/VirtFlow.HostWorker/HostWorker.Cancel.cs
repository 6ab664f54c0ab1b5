using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

// CancelJobs, and the cancel-until-concluded step that pivot and mirror rollbacks share.
public sealed partial class HostWorker
{
    /// <summary>How long a failing job may stay aborting before its error is read anyway (QEMU concludes it at once).</summary>
    private static readonly TimeSpan AbortingWait = TimeSpan.FromSeconds(10);

    private async Task<string?> CancelAsync(VmSession session, CancelJobs command, CancellationToken ct)
    {
        var ids = JobIds(session, nameof(CancelJobs), command.JobIds);
        if (command.Timeout <= TimeSpan.Zero) throw BadRequest($"VM {session.Name}: CancelJobs timeout must be positive");
        using var held = await VmSession.LockAsync(session.JobsLock, ct).ConfigureAwait(false);
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        using var waiter = new JobWaiter(client, ids, _time);
        await waiter.RefreshAsync(ct).ConfigureAwait(false);
        var acted = ids.Where(id => !Ended(waiter.Status(id))).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        ct = CancellationToken.None; // once cancels are sent, finish (a soft-cancelled job left pending would need a finalize)
        var done = await CancelAndWaitAsync(session, client, waiter, ids, command.Force, command.Timeout, problems, ct).ConfigureAwait(false);
        var result = HostResultJson.Serialize(await JobsResultAsync(session, client, ids, acted, ct).ConfigureAwait(false));
        if (!done)
            throw new HostCommandException(HostErrorClasses.Timeout, $"VM {session.Name}: jobs not concluded within {command.Timeout.TotalSeconds:0.#} s of the cancel: " +
                string.Join(", ", ids.Where(id => !IsOver(waiter.Status(id))).Select(id => $"{id}{session.DiskOf(id)} {waiter.Status(id)}"))) { ResultJson = result };
        if (problems.Count > 0)
            throw new HostCommandException(HostErrorClasses.JobFailed, $"VM {session.Name}: cancel: {string.Join("; ", problems)}") { ResultJson = result };
        return result;
    }

    /// <summary>
    /// Cancels every job of <paramref name="ids"/> not already over and waits until each is concluded (or gone).
    /// Without <paramref name="force"/> a READY mirror is cancelled softly: it stops at pending and is finalized here,
    /// leaving its target a point-in-time copy. A job already waiting or pending (completed, about to switch) is always
    /// force-cancelled: finalizing it would switch the VM to its target.
    /// </summary>
    private async Task<bool> CancelAndWaitAsync(VmSession session, IQmpClient client, JobWaiter waiter, IReadOnlyList<string> ids,
        bool force, TimeSpan timeout, List<string> problems, CancellationToken ct)
    {
        var soft = new HashSet<string>(StringComparer.Ordinal);
        var sent = new List<(string Id, Task Call)>();
        foreach (var id in ids)
        {
            var status = waiter.Status(id);
            if (Ended(status)) continue;
            if (!force && status is JobStatus.Ready or JobStatus.Standby or JobStatus.Running or JobStatus.Created or JobStatus.Paused)
            {
                // Before READY QEMU treats this as a forced cancel anyway; a job that turns READY meanwhile stops at pending.
                soft.Add(id);
                session.SoftCancelled[id] = 0;
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
        var done = await waiter.WaitAsync(() => ids.All(id => IsOver(waiter.Status(id))), timeout, FinalizeSoftCancelled, ct).ConfigureAwait(false);
        // A cancel refused because the job had just ended (its state says so, whatever QEMU's wording) is no problem.
        problems.AddRange(refused.Where(r => !IsOver(waiter.Status(r.Id))).Select(r => r.Problem));
        return done;
    }

    /// <summary>Each job as QEMU has it now, with its outcome.</summary>
    private static async Task<JobsResult> JobsResultAsync(VmSession session, IQmpClient client, IReadOnlyList<string> ids, IReadOnlySet<string> acted, CancellationToken ct)
    {
        var view = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
        return new JobsResult([.. ids.Select(id => State(session, view, id, acted.Contains(id)))]);
    }

    private static JobState State(VmSession session, BlockView view, string id, bool acted)
    {
        var job = view.Job(id);
        if (job is null) return new JobState(id, JobStatus.Null, null, null, acted);
        return new JobState(id, job.Status, JobOutcome.Of(job, view, session.TargetNodeOf(id), session.SoftCancelled.ContainsKey(id)), job.Error, acted);
    }

    /// <summary>Concluded, dismissed, or on the way (aborting): no command moves it anymore.</summary>
    private static bool Ended(string status) => status is JobStatus.Concluded or JobStatus.Null or JobStatus.Aborting;

    /// <summary>Concluded or dismissed.</summary>
    private static bool IsOver(string status) => status is JobStatus.Concluded or JobStatus.Null;
}
