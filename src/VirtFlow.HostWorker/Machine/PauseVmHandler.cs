using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>PauseVm: <c>stop</c>, then the run state.</summary>
internal sealed class PauseVmHandler : HostCommandHandler<PauseVm, VmRunStateResult>
{
    protected override async Task<VmRunStateResult?> HandleAsync(VmSession session, PauseVm command, CancellationToken ct)
    {
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        await client.StopAsync(null, ct).ConfigureAwait(false);
        return await RunState.ResultAsync(client, ct).ConfigureAwait(false);
    }
}
