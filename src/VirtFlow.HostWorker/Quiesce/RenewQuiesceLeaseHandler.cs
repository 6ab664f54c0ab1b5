using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>RenewQuiesceLease: moves the end of the lease held; a lease that ran out or was released is not found.</summary>
internal sealed class RenewQuiesceLeaseHandler(WorkerContext context, LeaseKeeper leases) : HostCommandHandler<RenewQuiesceLease, QuiesceResult>
{
    protected override async Task<QuiesceResult?> HandleAsync(VmSession session, RenewQuiesceLease command, CancellationToken ct)
    {
        var duration = command.Lease ?? context.Options.DefaultLease;
        if (duration <= TimeSpan.Zero) throw CommandChecks.BadRequest($"VM {session.Name}: the quiesce lease must be positive");
        using var scope = await session.LockQuiesceAsync(ct).ConfigureAwait(false);
        await leases.RecoverLeaseAsync(scope, ct).ConfigureAwait(false);
        if (scope.Lease is not { } lease || lease.Id != command.LeaseId || lease.FailedReleases > 0)
            throw new HostCommandException(HostErrorClasses.LeaseNotFound,
                $"VM {session.Name}: lease {command.LeaseId} is not held: it ran out or was released, and the guest was released with it");
        lease.ExpiresAt = context.Time.GetUtcNow() + duration;
        lease.Timer?.Change(duration, Timeout.InfiniteTimeSpan);
        leases.SaveLeaseQuietly(session, lease);
        return GuestHold.ResultOf(lease);
    }
}
