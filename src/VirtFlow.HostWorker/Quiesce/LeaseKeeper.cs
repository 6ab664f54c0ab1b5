using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// The end of a quiesce lease: released by unquiesce, by its timer when it runs out, or by shutdown; taken over from the
/// file a previous worker left (<see cref="HostWorkerOptions.StateDirectory"/>), so that a worker killed -9 leaves no VM
/// paused (docs/rules.md#r5-quiesce-lease across processes). A guest is never left frozen.
/// </summary>
internal sealed class LeaseKeeper(WorkerContext context)
{
    private static readonly TimeSpan ReleaseRetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AgentConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(50);
    private const string PausedState = "paused";

    /// <summary>What a release did.</summary>
    public sealed record ReleaseOutcome(bool Released, int Thawed, string? FreezeStatus, bool Resumed, string? ErrorClass, string? Error);

    public sealed record ThawOutcome(int Thawed, string? Status, string? Error);

    /// <summary>
    /// Thaws or resumes as the lease's method says (under <see cref="VmSession.LockQuiesceAsync"/>). On success the lease is
    /// gone; on failure it stays, marked as run out, and its timer retries every <see cref="ReleaseRetryDelay"/>.
    /// </summary>
    /// <param name="scope">The VM's lease scope, held by the caller.</param>
    /// <param name="lease">The lease to end.</param>
    /// <param name="reason">Why it ends (logged and recorded).</param>
    /// <param name="justRead">
    /// The caller has just read a reply or an event on the monitor (the pivot, whose last job concluded a moment ago): every
    /// event QEMU sent before it has been read, so the lease's run-state watch is as current as a <c>query-status</c> would be.
    /// Null: nothing read lately (an unquiesce, a timer, shutdown), and the release asks QEMU.
    /// </param>
    public async Task<ReleaseOutcome> ReleaseAsync(VmSession.LeaseScope scope, QuiesceLease lease, string reason, IQmpClient? justRead = null)
    {
        var session = scope.Session;
        var vm = session.Name;
        int thawed = 0;
        string? freezeStatus = null, errorClass = null, error = null;
        var resumed = false;
        if (lease.Method == QuiesceModes.FsFreeze)
        {
            var thaw = await ThawAsync(session).ConfigureAwait(false);
            (thawed, freezeStatus, error) = (thaw.Thawed, thaw.Status, thaw.Error);
            errorClass = error is null ? null : HostErrorClasses.AgentUnavailable;
        }
        else if (lease.Method == QuiesceModes.Pause && !lease.WasPaused)
        {
            try
            {
                var client = await session.GetClientAsync(CancellationToken.None).ConfigureAwait(false);
                // Only a VM still paused is resumed: one resumed, shut down or migrated away meanwhile is left as it is. Right
                // after the pivot read its last event, the lease's run-state watch answers that without a round trip when it
                // saw nothing but this lease's stop; otherwise a run-state change by someone else may still be unread in the
                // socket, and the reply of query-status comes after it.
                var status = ReferenceEquals(justRead, client) && lease.StillPausedByThis(client)
                    ? PausedState
                    : (await client.QueryStatusAsync(null, CancellationToken.None).ConfigureAwait(false)).Status;
                if (status == PausedState)
                {
                    await client.ContAsync(null, CancellationToken.None).ConfigureAwait(false);
                    resumed = true;
                }
                else
                {
                    Log.NotResumed(context.Logger, vm, lease.Id, status);
                }
            }
            catch (HostCommandException e)
            {
                (errorClass, error) = (e.ErrorClass, e.Message);
            }
            catch (QmpException e)
            {
                (errorClass, error) = (e.ErrorClass, e.Message);
            }
        }
        await session.Agent.CloseAsync().ConfigureAwait(false);
        if (error is null)
        {
            lease.Timer?.Dispose();
            lease.EndWatch();
            scope.End(lease);
            ForgetLeaseQuietly(session, lease.Id);
            Log.Released(context.Logger, vm, lease.Id, lease.Method, reason);
            return new ReleaseOutcome(true, thawed, freezeStatus, resumed, null, null);
        }
        lease.FailedReleases++;
        lease.ExpiresAt = context.Time.GetUtcNow();
        SaveLeaseQuietly(session, lease); // ran out: a worker started after this one dies ends it at once
        Log.ReleaseFailed(context.Logger, vm, lease.Id, lease.FailedReleases, error);
        if (!context.Stopping.IsCancellationRequested) lease.Timer?.Change(ReleaseRetryDelay, Timeout.InfiniteTimeSpan);
        return new ReleaseOutcome(false, thawed, freezeStatus, false, errorClass, error);
    }

    /// <summary><c>guest-fsfreeze-thaw</c>, then the status read back (it must say thawed).</summary>
    public async Task<ThawOutcome> ThawAsync(VmSession session)
    {
        try
        {
            var agent = await session.Agent.ConnectAsync(AgentConnectTimeout, CancellationToken.None).ConfigureAwait(false);
            var thawed = await agent.FsThawAsync(context.Options.AgentCommandTimeout, CancellationToken.None).ConfigureAwait(false);
            var status = await agent.GetFsFreezeStatusAsync(context.Options.AgentCommandTimeout, CancellationToken.None).ConfigureAwait(false);
            return status == QgaFsFreezeStatus.Thawed
                ? new ThawOutcome(thawed, "thawed", null)
                : new ThawOutcome(thawed, "frozen", "the guest still reports frozen after the thaw");
        }
        catch (HostCommandException e)
        {
            return new ThawOutcome(0, null, e.Message);
        }
        catch (QmpException e)
        {
            await session.Agent.CloseAsync().ConfigureAwait(false);
            return new ThawOutcome(0, null, e.Message);
        }
    }

    public void OnLeaseTimer(VmSession session, QuiesceLease lease) =>
        session.TrackBackground(Task.Run(() => ExpireAsync(session, lease)));

    private async Task ExpireAsync(VmSession session, QuiesceLease lease)
    {
        try
        {
            QuiesceLeaseExpired? expired = null;
            using (var scope = await session.LockQuiesceAsync(context.Stopping).ConfigureAwait(false))
            {
                if (!ReferenceEquals(scope.Lease, lease)) return; // released meanwhile
                var left = lease.ExpiresAt - context.Time.GetUtcNow();
                if (left > TimerSlack)
                {
                    // Renewed after this timer fired (or it fired early): wait for the new end.
                    lease.Timer?.Change(left, Timeout.InfiniteTimeSpan);
                    return;
                }
                if (lease.FailedReleases == 0) Log.LeaseExpired(context.Logger, session.Name, lease.Id, lease.Method);
                var outcome = await ReleaseAsync(scope, lease, "the lease ran out").ConfigureAwait(false);
                if (outcome.Released || lease.FailedReleases == 1)
                {
                    expired = context.Events.LeaseExpired(session.Name, lease.Id, lease.Method, outcome.Released, outcome.Thawed, outcome.FreezeStatus, outcome.Resumed, outcome.Error);
                    if (!outcome.Released) expired = expired with { EventId = expired.EventId + "/release-failed" };
                }
            }
            // Published outside the lock: with the broker away the event waits in the sink's queue, and the VM's next
            // quiesce must not wait for it.
            if (expired is not null) await session.PublishAsync(expired, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.Stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>On shutdown: release the lease held, trying a few times (a guest is never left frozen).</summary>
    public async Task ReleaseOnShutdownAsync(VmSession session)
    {
        using var scope = await session.LockQuiesceAsync(CancellationToken.None).ConfigureAwait(false);
        for (var attempt = 0; attempt < 3 && scope.Lease is { } lease; attempt++)
        {
            var outcome = await ReleaseAsync(scope, lease, "the worker is stopping").ConfigureAwait(false);
            if (outcome.Released) break;
            await Task.Delay(TimeSpan.FromMilliseconds(500), context.Time).ConfigureAwait(false);
        }
        scope.Lease?.Timer?.Dispose();
        scope.Lease?.EndWatch();
    }

    /// <summary>
    /// After start, once the VM's QMP monitor is connected: takes over the lease a dead worker left on disk
    /// (<see cref="RecoverLeaseAsync"/>), then, holding no lease, thaws a guest found frozen (a worker that died left it so,
    /// without a lease file). Checked once the monitor is held: QEMU's monitor takes one client at a time, so a standby
    /// worker (same host, another process) gets here only after the active one is gone, and never takes a lease nor thaws
    /// a guest frozen under a live worker's lease.
    /// </summary>
    public async Task RecoverAsync(VmSession session, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await session.WaitConnectedAsync(ct).ConfigureAwait(false);
                using var scope = await session.LockQuiesceAsync(ct).ConfigureAwait(false);
                try
                {
                    await RecoverLeaseAsync(scope, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HostCommandException or QmpException)
                {
                    // The monitor went away again: wait for the next connection.
                    Log.LeaseStateFailed(context.Logger, session.Name, "(unknown)", "take over", e.Message);
                    continue;
                }
                if (scope.Lease is null && session.Agent.IsConfigured) await ThawOrphanedFreezeAsync(session, ct).ConfigureAwait(false);
                return;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>A guest found frozen while this worker holds no lease was left so by a worker that died: thaw it (under the quiesce lock).</summary>
    private async Task ThawOrphanedFreezeAsync(VmSession session, CancellationToken ct)
    {
        try
        {
            var agent = await session.Agent.ConnectAsync(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
            if (await agent.GetFsFreezeStatusAsync(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false) == QgaFsFreezeStatus.Frozen)
                Log.OrphanFreezeThawed(context.Logger, session.Name, await agent.FsThawAsync(context.Options.AgentCommandTimeout, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception e) when (e is HostCommandException or QmpException)
        {
            Log.AgentSilent(context.Logger, session.Name, e.Message);
        }
        finally
        {
            await session.Agent.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Saves <paramref name="lease"/> of <paramref name="session"/>; failures are logged (the lease in memory stays right).</summary>
    public void SaveLeaseQuietly(VmSession session, QuiesceLease lease)
    {
        try
        {
            context.LeaseFiles?.Save(session.Name, lease);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LeaseStateFailed(context.Logger, session.Name, lease.Id, "save", e.Message);
        }
    }

    /// <summary>Deletes the lease file of <paramref name="session"/>; failures are logged.</summary>
    public void ForgetLeaseQuietly(VmSession session, string leaseId)
    {
        try
        {
            context.LeaseFiles?.Delete(session.Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LeaseStateFailed(context.Logger, session.Name, leaseId, "delete", e.Message);
        }
    }

    /// <summary>
    /// Once per process and VM, under <see cref="VmSession.LockQuiesceAsync"/> and only once the QMP monitor is held (so a
    /// standby never takes a lease from the live worker): takes over the lease a worker that died left on disk. A pause
    /// lease still running is held again with its timer re-armed (unquiesce and renew by its id work as before); an
    /// fsfreeze lease (a frozen guest stalls its I/O) and one that ran out meanwhile are ended now (<see cref="ReleaseAsync"/>: a VM it paused is resumed only if it is still paused and was
    /// running before the quiesce; a frozen guest is thawed). Throws <see cref="HostCommandException"/> when the monitor is
    /// not connected (nothing is taken over then; the next call tries again).
    /// </summary>
    public async Task RecoverLeaseAsync(VmSession.LeaseScope scope, CancellationToken ct)
    {
        var session = scope.Session;
        if (context.LeaseFiles is null || scope.LeftLeaseLookedFor || scope.Lease is not null) return;
        await session.GetClientAsync(ct).ConfigureAwait(false);
        scope.MarkLeftLeaseLookedFor();
        PersistedLease? saved;
        try
        {
            saved = context.LeaseFiles.Load(session.Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Log.LeaseStateFailed(context.Logger, session.Name, "(unknown)", "read", e.Message);
            return;
        }
        if (saved is null) return;
        var lease = new QuiesceLease(saved.LeaseId, saved.Method, saved.WasPaused, saved.FrozenFilesystems) { ExpiresAt = saved.ExpiresAt };
        // Created disarmed: armed for the rest of a running lease, or by a release that fails (to retry).
        lease.Timer = context.Time.CreateTimer(_ => OnLeaseTimer(session, lease), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        scope.Hold(lease);
        var left = lease.ExpiresAt - context.Time.GetUtcNow();
        string reason;
        if (left <= TimerSlack)
        {
            Log.LeaseRanOutUnheld(context.Logger, session.Name, lease.Id, lease.Method, lease.ExpiresAt, lease.WasPaused);
            reason = "it ran out while no worker held it";
        }
        else if (lease.Method == QuiesceModes.FsFreeze)
        {
            // A frozen guest is not kept frozen for a worker that is gone (as before leases were kept on disk).
            reason = "the worker that froze the guest died: thawed at once";
        }
        else
        {
            lease.Timer.Change(left, Timeout.InfiniteTimeSpan);
            Log.LeaseTakenOver(context.Logger, session.Name, lease.Id, lease.Method, lease.ExpiresAt, lease.WasPaused);
            return;
        }
        var outcome = await ReleaseAsync(scope, lease, reason).ConfigureAwait(false);
        var expired = context.Events.LeaseExpired(session.Name, lease.Id, lease.Method, outcome.Released, outcome.Thawed, outcome.FreezeStatus, outcome.Resumed, outcome.Error);
        PublishInBackground(session, outcome.Released ? expired : expired with { EventId = expired.EventId + "/release-failed" });
    }

    /// <summary>Publishes outside the caller's lock (with the broker away the event waits in the sink's queue).</summary>
    private static void PublishInBackground(VmSession session, HostEvent e) =>
        session.TrackBackground(Task.Run(() => session.PublishAsync(e, CancellationToken.None)));
}
