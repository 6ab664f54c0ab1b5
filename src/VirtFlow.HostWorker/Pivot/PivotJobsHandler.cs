using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// PivotJobs: complete all, wait all pending, finalize all; any failure before pending cancels all (<see cref="PivotSwitch"/>).
/// With a quiesce (<see cref="PivotQuiescer"/>) everything that can be read is read first, and the guest is released before any check.
/// </summary>
internal sealed class PivotJobsHandler(WorkerContext context, PivotQuiescer quiescer, JobDismisser dismisser) : HostCommandHandler<PivotJobs, PivotJobsResult>
{
    protected override async Task<PivotJobsResult?> HandleAsync(VmSession session, PivotJobs command, CancellationToken ct)
    {
        CommandChecks.NotExpired(session, command, context.Time);
        var ids = CommandChecks.JobIds(session, nameof(PivotJobs), command.JobIds);
        if (command.PendingTimeout <= TimeSpan.Zero || command.FinalizeTimeout <= TimeSpan.Zero)
            throw CommandChecks.BadRequest($"VM {session.Name}: PivotJobs timeouts must be positive");
        var quiesceMode = quiescer.ModeOf(session, command);
        using var held = await session.LockJobsAsync(ct).ConfigureAwait(false);
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        using var waiter = new JobWaiter(client, ids, context.Time);
        // The monitor is the pivot's alone until the command is over (HoldQueries: no forwarder query queued in front of its
        // job-finalize and cont, nor in front of the dismiss and blockdev-del after the release); the events waiting
        // meanwhile are published right after, before the result.
        using var quiet = quiesceMode is null || quiesceMode == QuiesceModes.None ? null : session.HoldQueries();
        var view = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
        waiter.Apply(view.Jobs);
        var problems = new PivotProblems();
        var plan = PivotPlan.Read(session, ids, view, problems);

        // Only now, with nothing left to read, is the guest held (and it is released on every path below).
        PivotHold? hold = null;
        var completes = new PipelinedCompletes();
        if (problems.Count == 0 && quiesceMode is not null)
        {
            try
            {
                hold = await quiescer.HoldAsync(session, command, quiesceMode, plan.ToComplete, completes, ct).ConfigureAwait(false);
            }
            catch (HostCommandException e)
            {
                problems.QuiesceFailed($"quiesce ({quiesceMode}): {e.Message}", e.ErrorClass);
            }
            catch (QmpException e) when (completes.Calls.Count > 0)
            {
                // The stop failed with the job-completes behind it: roll them back like any failure before pending.
                problems.QuiesceFailed($"quiesce ({quiesceMode}): stop: {e.Message}", e.ErrorClass);
            }
        }
        PivotJobsResult result;
        BlockView after;
        try
        {
            (result, after) = await new PivotSwitch
            {
                Context = context,
                Session = session,
                Command = command,
                Client = client,
                Waiter = waiter,
                Plan = plan,
                Completes = completes,
                Problems = problems,
                Hold = hold,
                Quiescer = quiescer,
            }.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            if (hold is not null) await quiescer.ReleaseAsync(session, hold).ConfigureAwait(false);
        }
        if (command.Dismiss) result = await DismissAfterPivotAsync(session, client, after, ids, command.Nodes, result).ConfigureAwait(false);
        Log.Pivoted(context.Logger, session.Name, ids.Count, result.CompleteToPendingMs, result.FinalizeMs);
        return result;
    }

    /// <summary>PivotJobs with Dismiss: once every disk switched, what DismissJobs does, on the view read after the switch.</summary>
    private async Task<PivotJobsResult> DismissAfterPivotAsync(VmSession session, IQmpClient client, BlockView after, List<string> ids,
        IReadOnlyList<string>? nodes, PivotJobsResult result)
    {
        try
        {
            var (dismissed, problems) = await dismisser.DismissAsync(session, client, after, ids, nodes, CancellationToken.None).ConfigureAwait(false);
            return result with { Dismissed = dismissed, DismissError = problems };
        }
        catch (Exception e) when (e is HostCommandException or QmpException)
        {
            Log.PivotDismissFailed(context.Logger, session.Name, e.Message);
            return result with { DismissError = e.Message };
        }
    }
}
