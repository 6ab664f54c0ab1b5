using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

// PivotJobs: complete all, wait all pending, finalize all; any failure before pending cancels all. With a quiesce
// (HostWorker.QuiescedPivot.cs) everything that can be read is read first, and the guest is released before any check.
public sealed partial class HostWorker
{
    private async Task<string?> PivotAsync(VmSession session, PivotJobs command, CancellationToken ct)
    {
        var ids = JobIds(session, nameof(PivotJobs), command.JobIds);
        if (command.PendingTimeout <= TimeSpan.Zero || command.FinalizeTimeout <= TimeSpan.Zero)
            throw BadRequest($"VM {session.Name}: PivotJobs timeouts must be positive");
        var quiesceMode = PivotQuiesceMode(session, command);
        var vm = session.Name;
        using var held = await VmSession.LockAsync(session.JobsLock, ct).ConfigureAwait(false);
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        using var waiter = new JobWaiter(client, ids, _time);
        // The monitor is the pivot's alone until the command is over (HoldQueries: no forwarder query queued in front of its
        // job-finalize and cont, nor in front of the dismiss and blockdev-del after the release); the events waiting
        // meanwhile are published right after, before the result.
        using var quiet = quiesceMode is null || quiesceMode == QuiesceModes.None ? null : session.HoldQueries();
        var view = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
        waiter.Apply(view.Jobs);

        // What each job needs; a repeat after a restart finds some already pending or already switched.
        var toComplete = new List<string>();
        string? quiesceFailure = null;
        var pivotedBefore = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var id in ids)
        {
            var job = view.Job(id);
            var target = session.TargetNodeOf(id);
            switch (job?.Status)
            {
                case null when view.DeviceUsing(target) is not null:
                    pivotedBefore.Add(id);
                    break;
                case null:
                    problems.Add($"job {id}{session.DiskOf(id)} does not exist");
                    break;
                case JobStatus.Ready:
                    toComplete.Add(id);
                    break;
                case JobStatus.Waiting or JobStatus.Pending when !session.SoftCancelled.ContainsKey(id):
                    break;
                case JobStatus.Concluded when JobOutcome.Of(job, view, target, session.SoftCancelled.ContainsKey(id)) == JobOutcomes.Completed:
                    pivotedBefore.Add(id);
                    break;
                case JobStatus.Concluded:
                    problems.Add($"job {id}{session.DiskOf(id)} already ended ({JobOutcome.Of(job, view, target, session.SoftCancelled.ContainsKey(id))}{(job.Error is null ? "" : ": " + job.Error)})");
                    break;
                default:
                    problems.Add($"job {id}{session.DiskOf(id)} is {job.Status}, not ready");
                    break;
            }
        }
        var moving = ids.Where(id => !pivotedBefore.Contains(id)).ToList();

        // Only now, with nothing left to read, is the guest held (and it is released on every path below).
        PivotHold? hold = null;
        var completes = new PipelinedCompletes();
        if (problems.Count == 0 && quiesceMode is not null)
        {
            try
            {
                hold = await HoldForPivotAsync(session, command, quiesceMode, toComplete, completes, ct).ConfigureAwait(false);
            }
            catch (HostCommandException e)
            {
                problems.Add($"quiesce ({quiesceMode}): {e.Message}");
                quiesceFailure = e.ErrorClass;
            }
            catch (QmpException e) when (completes.Calls.Count > 0)
            {
                // The stop failed with the job-completes behind it: roll them back like any failure before pending.
                problems.Add($"quiesce ({quiesceMode}): stop: {e.Message}");
                quiesceFailure = e.ErrorClass;
            }
        }
        PivotJobsResult result;
        BlockView after;
        try
        {
            (result, after) = await SwitchAsync(session, command, client, waiter, ids, moving, toComplete, completes, pivotedBefore, problems, quiesceFailure, hold).ConfigureAwait(false);
        }
        finally
        {
            if (hold is not null) await ReleaseHoldAsync(session, hold).ConfigureAwait(false);
        }
        if (command.Dismiss) result = await DismissAfterPivotAsync(session, client, after, ids, command.Nodes, result).ConfigureAwait(false);
        Log.Pivoted(_logger, vm, ids.Count, result.CompleteToPendingMs, result.FinalizeMs);
        return HostResultJson.Serialize(result);
    }

    /// <summary>PivotJobs with Dismiss: once every disk switched, what DismissJobs does, on the view read after the switch.</summary>
    private async Task<PivotJobsResult> DismissAfterPivotAsync(VmSession session, IQmpClient client, BlockView after, List<string> ids,
        IReadOnlyList<string>? nodes, PivotJobsResult result)
    {
        try
        {
            var (dismissed, problems) = await DismissLockedAsync(session, client, after, ids, nodes, CancellationToken.None).ConfigureAwait(false);
            return result with { Dismissed = dismissed, DismissError = problems };
        }
        catch (Exception e) when (e is HostCommandException or QmpException)
        {
            Log.PivotDismissFailed(_logger, session.Name, e.Message);
            return result with { DismissError = e.Message };
        }
    }

    /// <summary>
    /// From the first job-complete on, the pivot runs to its end (switched, or rolled back) within its timeouts, whatever
    /// the caller's token says: jobs left pending half-way would be worse than either. <paramref name="hold"/> (when the guest
    /// is held) is released as soon as every job is concluded or cancelled, before any query that is not needed for the switch.
    /// </summary>
    private async Task<(PivotJobsResult Result, BlockView After)> SwitchAsync(VmSession session, PivotJobs command, IQmpClient client, JobWaiter waiter, List<string> ids,
        List<string> moving, List<string> toComplete, PipelinedCompletes completes, HashSet<string> pivotedBefore, List<string> problems, string? quiesceFailure,
        PivotHold? hold)
    {
        var vm = session.Name;
        var ct = CancellationToken.None;
        var started = _time.GetTimestamp(); // with the completes behind the stop: from the stop's answer (the switch within the hold)
        long allPendingAt = 0;
        if (problems.Count > 0) await completes.SettleAsync().ConfigureAwait(false); // sent behind a stop that failed: cancelled below
        if (problems.Count == 0)
        {
            // Pipelined: every job-complete is on the wire before the first reply is awaited (behind the pause's stop, when
            // the quiesce sent them).
            var calls = completes.Calls.Count > 0
                ? completes.Calls
                : toComplete.Select(id => (Id: id, Call: (Task)client.JobCompleteAsync(id, null, ct))).ToList();
            foreach (var (id, call) in calls)
            {
                try
                {
                    await call.ConfigureAwait(false);
                }
                catch (QmpException e) when (e.IsQemuError)
                {
                    problems.Add($"job {id}{session.DiskOf(id)}: job-complete: {e.Description}");
                }
            }
        }
        if (problems.Count == 0)
        {
            var allPending = await waiter.WaitAsync(() =>
            {
                if (moving.Any(id => Ended(waiter.Status(id)))) return true;
                if (!moving.All(id => waiter.Status(id) == JobStatus.Pending)) return false;
                if (allPendingAt == 0) allPendingAt = _time.GetTimestamp();
                return true;
            }, command.PendingTimeout, null, ct, refreshAtEnd: false).ConfigureAwait(false);
            // For the errors: an aborting job has none yet; QEMU's reason (No space left on device ...) comes with concluded.
            if (moving.Any(id => waiter.Status(id) == JobStatus.Aborting))
                await waiter.WaitAsync(() => moving.All(id => waiter.Status(id) != JobStatus.Aborting), AbortingWait, null, ct).ConfigureAwait(false);
            else if (moving.Any(id => Ended(waiter.Status(id)))) await waiter.RefreshAsync(ct).ConfigureAwait(false);
            foreach (var id in moving.Where(id => Ended(waiter.Status(id))))
                problems.Add($"job {id}{session.DiskOf(id)} {waiter.Status(id)} before pending{(waiter.Info(id)?.Error is { } error ? ": " + error : "")}");
            if (!allPending && problems.Count == 0)
                problems.Add($"not all jobs pending within {command.PendingTimeout.TotalSeconds:0.###} s: " +
                    string.Join(", ", moving.Select(id => $"{id}{session.DiskOf(id)} {waiter.Status(id)}")));
        }
        if (problems.Count > 0)
        {
            var reason = string.Join("; ", problems);
            Log.PivotRollingBack(_logger, vm, reason);
            var undo = new List<string>();
            var cancelled = await CancelAndWaitAsync(session, client, waiter, moving, force: true, RollbackTimeout, undo, CancellationToken.None).ConfigureAwait(false);
            var released = hold is null ? null : await ReleaseHoldAsync(session, hold, cancelled ? client : null).ConfigureAwait(false);
            var after = HostResultJson.Serialize(await JobsResultAsync(session, client, ids, moving.ToHashSet(StringComparer.Ordinal), CancellationToken.None).ConfigureAwait(false));
            var tail = cancelled && undo.Count == 0
                ? "every job was cancelled; the VM stays on its sources"
                : "cancelling did not fully work: " + string.Join("; ", undo.Append(cancelled ? "" : "not all jobs concluded").Where(s => s.Length > 0));
            if (pivotedBefore.Count > 0) tail += $" (jobs switched by an earlier attempt stay switched: {string.Join(", ", pivotedBefore)})";
            if (released is not null) tail += "; " + Describe(released);
            var errorClass = quiesceFailure ?? (problems.Any(p => p.Contains("not ready", StringComparison.Ordinal) || p.Contains("does not exist", StringComparison.Ordinal))
                ? HostErrorClasses.JobNotReady
                : problems.Any(p => p.StartsWith("not all jobs pending", StringComparison.Ordinal)) ? HostErrorClasses.Timeout : HostErrorClasses.JobFailed);
            throw new HostCommandException(errorClass, $"VM {vm}: pivot failed: {reason}; {tail}") { ResultJson = after };
        }
        var pendingMs = allPendingAt == 0 ? 0 : _time.GetElapsedTime(started, allPendingAt).TotalMilliseconds;

        // The switch: every job is pending, nothing has moved yet. Finalize them all, pipelined.
        var finalizing = _time.GetTimestamp();
        long allConcludedAt = 0;
        var finalizeProblems = new List<string>();
        var finals = moving.Select(id => (Id: id, Call: client.JobFinalizeAsync(id, null, ct))).ToList();
        foreach (var (id, call) in finals)
        {
            try
            {
                await call.ConfigureAwait(false);
            }
            catch (QmpException e) when (e.IsQemuError)
            {
                finalizeProblems.Add($"job {id}{session.DiskOf(id)}: job-finalize: {e.Description}");
            }
        }
        var concluded = await waiter.WaitAsync(() =>
        {
            if (!moving.All(id => IsOver(waiter.Status(id)))) return false;
            if (allConcludedAt == 0) allConcludedAt = _time.GetTimestamp();
            return true;
        }, command.FinalizeTimeout, null, ct, refreshAtEnd: hold is null).ConfigureAwait(false);
        var end = allConcludedAt == 0 ? _time.GetTimestamp() : allConcludedAt;
        var finalizeMs = _time.GetElapsedTime(finalizing, end).TotalMilliseconds;
        var totalMs = _time.GetElapsedTime(started, end).TotalMilliseconds;

        // The switch is over: release the guest before anything else (checks, the answer). The last job's conclusion was just
        // read on this monitor (unless the wait timed out), so the release needs no query-status of its own.
        var quiesce = hold is null ? null : await ReleaseHoldAsync(session, hold, concluded ? client : null).ConfigureAwait(false);
        var blocks = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
        var jobs = ids.Select(id => new PivotedJob(id, blocks.DeviceUsing(session.TargetNodeOf(id)), session.TargetNodeOf(id), pivotedBefore.Contains(id))).ToList();
        var result = new PivotJobsResult(jobs, pendingMs, finalizeMs, totalMs, quiesce);
        var notMoved = jobs.Where(j => j.Device is null).ToList();
        if (notMoved.Count > 0 || finalizeProblems.Count > 0 || !concluded)
        {
            if (hold is not null) await waiter.RefreshAsync(ct).ConfigureAwait(false); // for the errors
            var what = finalizeProblems.Concat(notMoved.Select(j =>
                $"job {j.JobId}{session.DiskOf(j.JobId)}: no device uses {j.TargetNode} ({waiter.Status(j.JobId)}{(waiter.Info(j.JobId)?.Error is { } error ? ": " + error : "")})"));
            throw new HostCommandException(HostErrorClasses.PivotIncomplete,
                $"VM {vm}: pivot incomplete after finalize: {string.Join("; ", what)}; moved: {string.Join(", ", jobs.Where(j => j.Device is not null).Select(j => j.JobId))}"
                + (quiesce is null ? "" : "; " + Describe(quiesce)))
            { ResultJson = HostResultJson.Serialize(result) };
        }
        return (result, blocks);
    }
}
