using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>CancelJobs: cancel (softly unless forced) and wait until each job is concluded.</summary>
internal sealed class CancelJobsHandler(WorkerContext context) : HostCommandHandler<CancelJobs, JobsResult>
{
    protected override async Task<JobsResult?> HandleAsync(VmSession session, CancelJobs command, CancellationToken ct)
    {
        var ids = CommandChecks.JobIds(session, nameof(CancelJobs), command.JobIds);
        if (command.Timeout <= TimeSpan.Zero) throw CommandChecks.BadRequest($"VM {session.Name}: CancelJobs timeout must be positive");
        using var held = await session.LockJobsAsync(ct).ConfigureAwait(false);
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        using var waiter = new JobWaiter(client, ids, context.Time);
        await waiter.RefreshAsync(ct).ConfigureAwait(false);
        var acted = ids.Where(id => !JobStates.Ended(waiter.Status(id))).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        ct = CancellationToken.None; // once cancels are sent, finish (a soft-cancelled job left pending would need a finalize)
        var done = await JobCanceller.CancelAndWaitAsync(session, client, waiter, ids, command.Force, command.Timeout, problems, ct).ConfigureAwait(false);
        var states = await JobStates.ResultAsync(session, client, ids, acted, ct).ConfigureAwait(false);
        var result = Json(states);
        if (!done)
            throw new HostCommandException(HostErrorClasses.Timeout, $"VM {session.Name}: jobs not concluded within {command.Timeout.TotalSeconds:0.#} s of the cancel: " +
                string.Join(", ", ids.Where(id => !JobStates.IsOver(waiter.Status(id))).Select(id => $"{id}{session.DiskOf(id)} {waiter.Status(id)}"))) { ResultJson = result };
        if (problems.Count > 0)
            throw new HostCommandException(HostErrorClasses.JobFailed, $"VM {session.Name}: cancel: {string.Join("; ", problems)}") { ResultJson = result };
        return states;
    }
}
