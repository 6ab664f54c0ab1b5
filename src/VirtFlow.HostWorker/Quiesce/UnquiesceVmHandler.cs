using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>UnquiesceVm: ends the lease held (thaw, or cont of a VM the quiesce paused); a lease not held is "not held", not an error.</summary>
internal sealed class UnquiesceVmHandler(LeaseKeeper leases) : HostCommandHandler<UnquiesceVm, UnquiesceResult>
{
    protected override async Task<UnquiesceResult?> HandleAsync(VmSession session, UnquiesceVm command, CancellationToken ct)
    {
        using var scope = await session.LockQuiesceAsync(ct).ConfigureAwait(false);
        await leases.RecoverLeaseAsync(scope, ct).ConfigureAwait(false);
        var lease = scope.Lease;
        if (lease is null || (command.LeaseId is { } wanted && wanted != lease.Id))
            return new UnquiesceResult(command.LeaseId, false, null, 0, false, await RunState.OrNullAsync(session, ct).ConfigureAwait(false));
        var outcome = await leases.ReleaseAsync(scope, lease, "unquiesce").ConfigureAwait(false);
        if (!outcome.Released)
            throw new HostCommandException(outcome.ErrorClass ?? HostErrorClasses.AgentUnavailable,
                $"VM {session.Name}: unquiesce of lease {lease.Id} ({lease.Method}) failed: {outcome.Error}; the worker keeps retrying");
        return new UnquiesceResult(lease.Id, true, lease.Method, outcome.Thawed, outcome.Resumed,
            await RunState.OrNullAsync(session, ct).ConfigureAwait(false));
    }
}
