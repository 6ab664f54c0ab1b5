using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// The switch of one pivot, from its first job-complete to its end: complete all, wait until all are pending, finalize
/// all; any failure before pending cancels every moving job (the VM stays on its sources). It runs to its end (switched,
/// or rolled back) within its timeouts, whatever the caller's token says: jobs left pending half-way would be worse than
/// either. <see cref="Hold"/> (when the guest is held) is released as soon as every job is concluded or cancelled, before
/// any query that is not needed for the switch.
/// </summary>
internal sealed class PivotSwitch
{
    public required WorkerContext Context { get; init; }

    public required VmSession Session { get; init; }

    public required PivotJobs Command { get; init; }

    /// <summary>The monitor, held for the pivot alone.</summary>
    public required IQmpClient Client { get; init; }

    /// <summary>Follows the jobs; made before anything was sent.</summary>
    public required JobWaiter Waiter { get; init; }

    public required PivotPlan Plan { get; init; }

    /// <summary>The job-completes a pause already sent behind its stop (empty: this switch sends them).</summary>
    public required PipelinedCompletes Completes { get; init; }

    /// <summary>Why it cannot switch, found so far (a non-empty list rolls back at once).</summary>
    public required PivotProblems Problems { get; init; }

    /// <summary>The guest held for the switch, if any, and how it is released.</summary>
    public PivotHold? Hold { get; init; }

    public required PivotQuiescer Quiescer { get; init; }

    private static readonly CancellationToken NoCancel = CancellationToken.None;

    private string Vm => Session.Name;

    /// <summary>Switches every moving job, or rolls them all back (and throws).</summary>
    /// <returns>The result and the block view read right after the switch.</returns>
    public async Task<(PivotJobsResult Result, BlockView After)> RunAsync()
    {
        var time = Context.Time;
        var started = time.GetTimestamp(); // with the completes behind the stop: from the stop's answer (the switch within the hold)
        if (Problems.Count > 0) await Completes.SettleAsync().ConfigureAwait(false); // sent behind a stop that failed: cancelled below
        if (Problems.Count == 0) await CompleteAsync().ConfigureAwait(false);
        long allPendingAt = 0;
        if (Problems.Count == 0) allPendingAt = await WaitPendingAsync().ConfigureAwait(false);
        if (Problems.Count > 0) await RollBackAsync().ConfigureAwait(false);
        var pendingMs = allPendingAt == 0 ? 0 : time.GetElapsedTime(started, allPendingAt).TotalMilliseconds;
        return await FinalizeAsync(started, pendingMs).ConfigureAwait(false);
    }

    /// <summary>
    /// Pipelined: every job-complete is on the wire before the first reply is awaited (behind the pause's stop, when the
    /// quiesce sent them).
    /// </summary>
    private async Task CompleteAsync()
    {
        var calls = Completes.Calls.Count > 0
            ? Completes.Calls
            : Plan.ToComplete.Select(id => (Id: id, Call: (Task)Client.JobCompleteAsync(id, null, NoCancel))).ToList();
        foreach (var (id, call) in calls)
        {
            try
            {
                await call.ConfigureAwait(false);
            }
            catch (QmpException e) when (e.IsQemuError)
            {
                Problems.Failed($"job {id}{Session.DiskOf(id)}: job-complete: {e.Description}");
            }
        }
    }

    /// <summary>Waits until every moving job is pending; returns when that was (0: not reached), adding what went wrong to <see cref="Problems"/>.</summary>
    private async Task<long> WaitPendingAsync()
    {
        var moving = Plan.Moving;
        var waiter = Waiter;
        long allPendingAt = 0;
        var allPending = await waiter.WaitAsync(() =>
        {
            if (moving.Any(id => JobStates.Ended(waiter.Status(id)))) return true;
            if (!moving.All(id => waiter.Status(id) == JobStatus.Pending)) return false;
            if (allPendingAt == 0) allPendingAt = Context.Time.GetTimestamp();
            return true;
        }, Command.PendingTimeout, null, NoCancel, refreshAtEnd: false).ConfigureAwait(false);
        // For the errors: an aborting job has none yet; QEMU's reason (No space left on device ...) comes with concluded.
        if (moving.Any(id => waiter.Status(id) == JobStatus.Aborting))
            await waiter.WaitAsync(() => moving.All(id => waiter.Status(id) != JobStatus.Aborting), JobStates.AbortingWait, null, NoCancel).ConfigureAwait(false);
        else if (moving.Any(id => JobStates.Ended(waiter.Status(id)))) await waiter.RefreshAsync(NoCancel).ConfigureAwait(false);
        foreach (var id in moving.Where(id => JobStates.Ended(waiter.Status(id))))
            Problems.Failed($"job {id}{Session.DiskOf(id)} {waiter.Status(id)} before pending{(waiter.Info(id)?.Error is { } error ? ": " + error : "")}");
        if (!allPending && Problems.Count == 0)
            Problems.TimedOut($"not all jobs pending within {Command.PendingTimeout.TotalSeconds:0.###} s: " +
                string.Join(", ", moving.Select(id => $"{id}{Session.DiskOf(id)} {waiter.Status(id)}")));
        return allPendingAt;
    }

    /// <summary>Nothing has switched: cancel every moving job, release the guest, and fail with the problems' class.</summary>
    private async Task RollBackAsync()
    {
        var reason = Problems.ToString();
        Log.PivotRollingBack(Context.Logger, Vm, reason);
        var undo = new List<string>();
        var cancelled = await JobCanceller.CancelAndWaitAsync(Session, Client, Waiter, Plan.Moving, force: true, MirrorRollback.RollbackTimeout, undo, NoCancel).ConfigureAwait(false);
        var released = Hold is null ? null : await Quiescer.ReleaseAsync(Session, Hold, cancelled ? Client : null).ConfigureAwait(false);
        var after = HostResultJson.Serialize(await JobStates.ResultAsync(Session, Client, Plan.Ids, Plan.Moving.ToHashSet(StringComparer.Ordinal), NoCancel).ConfigureAwait(false));
        var tail = cancelled && undo.Count == 0
            ? "every job was cancelled; the VM stays on its sources"
            : "cancelling did not fully work: " + string.Join("; ", undo.Append(cancelled ? "" : "not all jobs concluded").Where(s => s.Length > 0));
        if (Plan.PivotedBefore.Count > 0) tail += $" (jobs switched by an earlier attempt stay switched: {string.Join(", ", Plan.PivotedBefore)})";
        if (released is not null) tail += "; " + PivotQuiescer.Describe(released);
        throw new HostCommandException(Problems.ErrorClass, $"VM {Vm}: pivot failed: {reason}; {tail}") { ResultJson = after };
    }

    /// <summary>The switch: every job is pending, nothing has moved yet. Finalize them all, pipelined; then release the guest.</summary>
    private async Task<(PivotJobsResult Result, BlockView After)> FinalizeAsync(long started, double pendingMs)
    {
        var time = Context.Time;
        var moving = Plan.Moving;
        var waiter = Waiter;
        var finalizing = time.GetTimestamp();
        long allConcludedAt = 0;
        var finalizeProblems = new List<string>();
        var finals = moving.Select(id => (Id: id, Call: Client.JobFinalizeAsync(id, null, NoCancel))).ToList();
        foreach (var (id, call) in finals)
        {
            try
            {
                await call.ConfigureAwait(false);
            }
            catch (QmpException e) when (e.IsQemuError)
            {
                finalizeProblems.Add($"job {id}{Session.DiskOf(id)}: job-finalize: {e.Description}");
            }
        }
        var concluded = await waiter.WaitAsync(() =>
        {
            if (!moving.All(id => JobStates.IsOver(waiter.Status(id)))) return false;
            if (allConcludedAt == 0) allConcludedAt = time.GetTimestamp();
            return true;
        }, Command.FinalizeTimeout, null, NoCancel, refreshAtEnd: Hold is null).ConfigureAwait(false);
        var end = allConcludedAt == 0 ? time.GetTimestamp() : allConcludedAt;
        var finalizeMs = time.GetElapsedTime(finalizing, end).TotalMilliseconds;
        var totalMs = time.GetElapsedTime(started, end).TotalMilliseconds;

        // The switch is over: release the guest before anything else (checks, the answer). The last job's conclusion was just
        // read on this monitor (unless the wait timed out), so the release needs no query-status of its own.
        var quiesce = Hold is null ? null : await Quiescer.ReleaseAsync(Session, Hold, concluded ? Client : null).ConfigureAwait(false);
        var blocks = await BlockView.LoadAsync(Client, NoCancel).ConfigureAwait(false);
        var jobs = Plan.Ids.Select(id => new PivotedJob(id, blocks.DeviceUsing(Session.TargetNodeOf(id)), Session.TargetNodeOf(id), Plan.PivotedBefore.Contains(id))).ToList();
        var result = new PivotJobsResult(jobs, pendingMs, finalizeMs, totalMs, quiesce);
        var notMoved = jobs.Where(j => j.Device is null).ToList();
        if (notMoved.Count > 0 || finalizeProblems.Count > 0 || !concluded)
        {
            if (Hold is not null) await waiter.RefreshAsync(NoCancel).ConfigureAwait(false); // for the errors
            var what = finalizeProblems.Concat(notMoved.Select(j =>
                $"job {j.JobId}{Session.DiskOf(j.JobId)}: no device uses {j.TargetNode} ({waiter.Status(j.JobId)}{(waiter.Info(j.JobId)?.Error is { } error ? ": " + error : "")})"));
            throw new HostCommandException(HostErrorClasses.PivotIncomplete,
                $"VM {Vm}: pivot incomplete after finalize: {string.Join("; ", what)}; moved: {string.Join(", ", jobs.Where(j => j.Device is not null).Select(j => j.JobId))}"
                + (quiesce is null ? "" : "; " + PivotQuiescer.Describe(quiesce)))
            { ResultJson = HostResultJson.Serialize(result) };
        }
        return (result, blocks);
    }
}
