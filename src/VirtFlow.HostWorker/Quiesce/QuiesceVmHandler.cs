using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>QuiesceVm: holds the guest (fsfreeze, pause, auto or none) under a lease.</summary>
internal sealed class QuiesceVmHandler(GuestHold hold) : HostCommandHandler<QuiesceVm, QuiesceResult>
{
    protected override Task<QuiesceResult?> HandleAsync(VmSession session, QuiesceVm command, CancellationToken ct) =>
        hold.QuiesceAsync(session, command, ct);
}
