using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>DismissJobs: dismiss concluded jobs, remove the nodes they left unused, delete the partial targets this worker created.</summary>
internal sealed class DismissJobsHandler(JobDismisser dismisser) : HostCommandHandler<DismissJobs, DismissJobsResult>
{
    protected override async Task<DismissJobsResult?> HandleAsync(VmSession session, DismissJobs command, CancellationToken ct)
    {
        var ids = CommandChecks.JobIds(session, nameof(DismissJobs), command.JobIds);
        using var held = await session.LockJobsAsync(ct).ConfigureAwait(false);
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        var view = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
        var (result, problems) = await dismisser.DismissAsync(session, client, view, ids, command.Nodes, ct, command.DeleteTargets).ConfigureAwait(false);
        var json = Json(result);
        if (problems is not null)
            throw new HostCommandException(HostErrorClasses.JobFailed, $"VM {session.Name}: DismissJobs: {problems}") { ResultJson = json };
        return result;
    }
}
