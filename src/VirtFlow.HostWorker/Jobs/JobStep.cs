using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// One step of the pivot done on its own (CompleteJobs, FinalizeJobs): the status a job must be in to take the verb, the
/// statuses already past it, the status that means the step is done, and the verb.
/// </summary>
internal sealed class JobStep(string name, string act, Func<string, bool> pastIt, Func<string, bool> reached, Func<IQmpClient, string, CancellationToken, Task> verb)
{
    /// <summary>The command's name, for messages.</summary>
    public string Name { get; } = name;

    /// <summary>
    /// Sends the verb to each job in status <c>act</c> (pipelined) and waits until each has reached the next state. Jobs
    /// already past it are reported as found; any other status fails the command before anything is sent.
    /// </summary>
    public async Task<JobsResult?> RunAsync(WorkerContext context, VmSession session, IReadOnlyList<string> jobIds, TimeSpan timeout, CancellationToken ct)
    {
        var ids = CommandChecks.JobIds(session, Name, jobIds);
        if (timeout <= TimeSpan.Zero) throw CommandChecks.BadRequest($"VM {session.Name}: {Name} timeout must be positive");
        using var held = await session.LockJobsAsync(ct).ConfigureAwait(false);
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        using var waiter = new JobWaiter(client, ids, context.Time);
        await waiter.RefreshAsync(ct).ConfigureAwait(false);
        var wrong = ids.Where(id => waiter.Status(id) != act && !pastIt(waiter.Status(id))).ToList();
        if (wrong.Count > 0)
            throw new HostCommandException(HostErrorClasses.JobNotReady, $"VM {session.Name}: {Name}: " +
                string.Join("; ", wrong.Select(id => $"job {id}{session.DiskOf(id)} is {waiter.Status(id)}, not {act}")) + "; nothing was done");
        var acting = ids.Where(id => waiter.Status(id) == act).ToList();
        var problems = new List<string>();
        foreach (var (id, call) in acting.Select(id => (id, verb(client, id, ct))).ToList())
        {
            try
            {
                await call.ConfigureAwait(false);
            }
            catch (QmpException e) when (e.IsQemuError)
            {
                problems.Add($"job {id}{session.DiskOf(id)}: {e.Description}");
            }
        }
        var done = await waiter.WaitAsync(() => acting.All(id => reached(waiter.Status(id))), timeout, null, ct).ConfigureAwait(false);
        var states = await JobStates.ResultAsync(session, client, ids, acting.ToHashSet(StringComparer.Ordinal), ct).ConfigureAwait(false);
        var result = HostResultJson.Serialize(states);
        problems.AddRange(states.Jobs.Where(j => acting.Contains(j.JobId) && j.Outcome == JobOutcomes.Failed)
            .Select(j => $"job {j.JobId}{session.DiskOf(j.JobId)} failed: {j.Error}"));
        if (problems.Count > 0)
            throw new HostCommandException(HostErrorClasses.JobFailed, $"VM {session.Name}: {Name}: {string.Join("; ", problems)}") { ResultJson = result };
        if (!done)
            throw new HostCommandException(HostErrorClasses.Timeout, $"VM {session.Name}: {Name}: not done within {timeout.TotalSeconds:0.###} s: " +
                string.Join(", ", acting.Where(id => !reached(waiter.Status(id))).Select(id => $"{id}{session.DiskOf(id)} {waiter.Status(id)}"))) { ResultJson = result };
        return states;
    }
}
