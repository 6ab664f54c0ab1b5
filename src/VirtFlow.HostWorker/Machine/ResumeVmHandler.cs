using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>ResumeVm: <c>cont</c>, then the run state.</summary>
internal sealed class ResumeVmHandler : HostCommandHandler<ResumeVm, VmRunStateResult>
{
    protected override async Task<VmRunStateResult?> HandleAsync(VmSession session, ResumeVm command, CancellationToken ct)
    {
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        await client.ContAsync(null, ct).ConfigureAwait(false);
        return await RunState.ResultAsync(client, ct).ConfigureAwait(false);
    }
}
