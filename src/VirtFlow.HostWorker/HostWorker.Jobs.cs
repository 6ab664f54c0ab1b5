using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

// CompleteJobs and FinalizeJobs: the pivot's two steps, one at a time, for fine-grained control.
public sealed partial class HostWorker
{
    private Task<string?> CompleteAsync(VmSession session, CompleteJobs command, CancellationToken ct) =>
        StepJobsAsync(session, nameof(CompleteJobs), command.JobIds, command.Timeout,
            act: JobStatus.Ready,
            pastIt: s => s is JobStatus.Waiting or JobStatus.Pending || IsOver(s),
            reached: s => s == JobStatus.Pending || IsOver(s), // through aborting to concluded: the error comes with it
            (client, id) => client.JobCompleteAsync(id, null, ct), ct);

    private Task<string?> FinalizeAsync(VmSession session, FinalizeJobs command, CancellationToken ct) =>
        StepJobsAsync(session, nameof(FinalizeJobs), command.JobIds, command.Timeout,
            act: JobStatus.Pending,
            pastIt: IsOver,
            reached: IsOver,
            (client, id) => client.JobFinalizeAsync(id, null, ct), ct);

    /// <summary>
    /// Sends <paramref name="verb"/> to each job in status <paramref name="act"/> (pipelined) and waits until each has
    /// <paramref name="reached"/> the next state. Jobs already past it are reported as found; any other status fails
    /// the command before anything is sent.
    /// </summary>
    private async Task<string?> StepJobsAsync(VmSession session, string name, IReadOnlyList<string> jobIds, TimeSpan timeout,
        string act, Func<string, bool> pastIt, Func<string, bool> reached, Func<IQmpClient, string, Task> verb, CancellationToken ct)
    {
        var ids = JobIds(session, name, jobIds);
        if (timeout <= TimeSpan.Zero) throw BadRequest($"VM {session.Name}: {name} timeout must be positive");
        using var held = await VmSession.LockAsync(session.JobsLock, ct).ConfigureAwait(false);
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        using var waiter = new JobWaiter(client, ids, _time);
        await waiter.RefreshAsync(ct).ConfigureAwait(false);
        var wrong = ids.Where(id => waiter.Status(id) != act && !pastIt(waiter.Status(id))).ToList();
        if (wrong.Count > 0)
            throw new HostCommandException(HostErrorClasses.JobNotReady, $"VM {session.Name}: {name}: " +
                string.Join("; ", wrong.Select(id => $"job {id}{session.DiskOf(id)} is {waiter.Status(id)}, not {act}")) + "; nothing was done");
        var acting = ids.Where(id => waiter.Status(id) == act).ToList();
        var problems = new List<string>();
        foreach (var (id, call) in acting.Select(id => (id, verb(client, id))).ToList())
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
        var states = await JobsResultAsync(session, client, ids, acting.ToHashSet(StringComparer.Ordinal), ct).ConfigureAwait(false);
        var result = HostResultJson.Serialize(states);
        problems.AddRange(states.Jobs.Where(j => acting.Contains(j.JobId) && j.Outcome == JobOutcomes.Failed)
            .Select(j => $"job {j.JobId}{session.DiskOf(j.JobId)} failed: {j.Error}"));
        if (problems.Count > 0)
            throw new HostCommandException(HostErrorClasses.JobFailed, $"VM {session.Name}: {name}: {string.Join("; ", problems)}") { ResultJson = result };
        if (!done)
            throw new HostCommandException(HostErrorClasses.Timeout, $"VM {session.Name}: {name}: not done within {timeout.TotalSeconds:0.###} s: " +
                string.Join(", ", acting.Where(id => !reached(waiter.Status(id))).Select(id => $"{id}{session.DiskOf(id)} {waiter.Status(id)}"))) { ResultJson = result };
        return result;
    }
}
