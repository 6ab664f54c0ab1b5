using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>QueryVm: the run state, the devices, every job with its outcome, and the lease held.</summary>
internal sealed class QueryVmHandler : HostCommandHandler<QueryVm, QueryVmResult>
{
    protected override async Task<QueryVmResult?> HandleAsync(VmSession session, QueryVm command, CancellationToken ct)
    {
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        var view = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
        var status = await client.QueryStatusAsync(null, ct).ConfigureAwait(false);
        var jobs = view.Jobs.Select(j => new JobSnapshot(j.Id, j.Type, j.Status, j.CurrentProgress, j.TotalProgress, j.Error, session.OutcomeOf(j, view))).ToList();
        return new QueryVmResult(status.Status, status.Running, view.Devices(), jobs, session.HeldLeaseId);
    }
}
