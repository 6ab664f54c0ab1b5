using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

// The end of a quiesce lease: released by unquiesce, by its timer when it runs out, or by shutdown. A guest is never left frozen.
public sealed partial class HostWorker
{
    private static readonly TimeSpan ReleaseRetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AgentConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(50);
    private const string PausedState = "paused";

    /// <summary>What a release did.</summary>
    private sealed record ReleaseOutcome(bool Released, int Thawed, string? FreezeStatus, bool Resumed, string? ErrorClass, string? Error);

    private sealed record ThawOutcome(int Thawed, string? Status, string? Error);

    /// <summary>
    /// Thaws or resumes as the lease's method says (under <see cref="VmSession.QuiesceLock"/>). On success the lease is
    /// gone; on failure it stays, marked as run out, and its timer retries every <see cref="ReleaseRetryDelay"/>.
    /// </summary>
    /// <param name="justRead">
    /// The caller has just read a reply or an event on the monitor (the pivot, whose last job concluded a moment ago): every
    /// event QEMU sent before it has been read, so the lease's run-state watch is as current as a <c>query-status</c> would be.
    /// Null: nothing read lately (an unquiesce, a timer, shutdown), and the release asks QEMU.
    /// </param>
    private async Task<ReleaseOutcome> ReleaseAsync(VmSession session, QuiesceLease lease, string reason, IQmpClient? justRead = null)
    {
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
                    Log.NotResumed(_logger, vm, lease.Id, status);
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
            session.Lease = null;
            ForgetLeaseQuietly(session, lease.Id);
            Log.Released(_logger, vm, lease.Id, lease.Method, reason);
            return new ReleaseOutcome(true, thawed, freezeStatus, resumed, null, null);
        }
        lease.FailedReleases++;
        lease.ExpiresAt = _time.GetUtcNow();
        SaveLeaseQuietly(session, lease); // ran out: a worker started after this one dies ends it at once
        Log.ReleaseFailed(_logger, vm, lease.Id, lease.FailedReleases, error);
        if (!_stopping.IsCancellationRequested) lease.Timer?.Change(ReleaseRetryDelay, Timeout.InfiniteTimeSpan);
        return new ReleaseOutcome(false, thawed, freezeStatus, false, errorClass, error);
    }

    /// <summary><c>guest-fsfreeze-thaw</c>, then the status read back (it must say thawed).</summary>
    private async Task<ThawOutcome> ThawAsync(VmSession session)
    {
        try
        {
            var agent = await session.Agent.ConnectAsync(AgentConnectTimeout, CancellationToken.None).ConfigureAwait(false);
            var thawed = await agent.FsThawAsync(_options.AgentCommandTimeout, CancellationToken.None).ConfigureAwait(false);
            var status = await agent.GetFsFreezeStatusAsync(_options.AgentCommandTimeout, CancellationToken.None).ConfigureAwait(false);
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

    private void OnLeaseTimer(VmSession session, QuiesceLease lease) =>
        session.TrackBackground(Task.Run(() => ExpireAsync(session, lease)));

    private async Task ExpireAsync(VmSession session, QuiesceLease lease)
    {
        try
        {
            QuiesceLeaseExpired? expired = null;
            using (await VmSession.LockAsync(session.QuiesceLock, _stopping.Token).ConfigureAwait(false))
            {
                if (!ReferenceEquals(session.Lease, lease)) return; // released meanwhile
                var left = lease.ExpiresAt - _time.GetUtcNow();
                if (left > TimerSlack)
                {
                    // Renewed after this timer fired (or it fired early): wait for the new end.
                    lease.Timer?.Change(left, Timeout.InfiniteTimeSpan);
                    return;
                }
                if (lease.FailedReleases == 0) Log.LeaseExpired(_logger, session.Name, lease.Id, lease.Method);
                var outcome = await ReleaseAsync(session, lease, "the lease ran out").ConfigureAwait(false);
                if (outcome.Released || lease.FailedReleases == 1)
                {
                    expired = _events.LeaseExpired(session.Name, lease.Id, lease.Method, outcome.Released, outcome.Thawed, outcome.FreezeStatus, outcome.Resumed, outcome.Error);
                    if (!outcome.Released) expired = expired with { EventId = expired.EventId + "/release-failed" };
                }
            }
            // Published outside the lock: with the broker away the event waits in the sink's queue, and the VM's next
            // quiesce must not wait for it.
            if (expired is not null) await session.PublishAsync(expired, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>On shutdown: release the lease held, trying a few times (a guest is never left frozen).</summary>
    private async Task ReleaseOnShutdownAsync(VmSession session)
    {
        using var held = await VmSession.LockAsync(session.QuiesceLock, CancellationToken.None).ConfigureAwait(false);
        for (var attempt = 0; attempt < 3 && session.Lease is { } lease; attempt++)
        {
            var outcome = await ReleaseAsync(session, lease, "the worker is stopping").ConfigureAwait(false);
            if (outcome.Released) break;
            await Task.Delay(TimeSpan.FromMilliseconds(500), _time).ConfigureAwait(false);
        }
        session.Lease?.Timer?.Dispose();
        session.Lease?.EndWatch();
    }

    /// <summary>
    /// After start, once the VM's QMP monitor is connected: takes over the lease a dead worker left on disk
    /// (<see cref="RecoverLeaseAsync"/>), then, holding no lease, thaws a guest found frozen (a worker that died left it so,
    /// without a lease file). Checked once the monitor is held: QEMU's monitor takes one client at a time, so a standby
    /// worker (same host, another process) gets here only after the active one is gone, and never takes a lease nor thaws
    /// a guest frozen under a live worker's lease.
    /// </summary>
    private async Task RecoverAsync(VmSession session, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await session.WaitConnectedAsync(ct).ConfigureAwait(false);
                using var held = await VmSession.LockAsync(session.QuiesceLock, ct).ConfigureAwait(false);
                try
                {
                    await RecoverLeaseAsync(session, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HostCommandException or QmpException)
                {
                    // The monitor went away again: wait for the next connection.
                    Log.LeaseStateFailed(_logger, session.Name, "(unknown)", "take over", e.Message);
                    continue;
                }
                if (session.Lease is null && session.Agent.IsConfigured) await ThawOrphanedFreezeAsync(session, ct).ConfigureAwait(false);
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
                Log.OrphanFreezeThawed(_logger, session.Name, await agent.FsThawAsync(_options.AgentCommandTimeout, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception e) when (e is HostCommandException or QmpException)
        {
            Log.AgentSilent(_logger, session.Name, e.Message);
        }
        finally
        {
            await session.Agent.CloseAsync().ConfigureAwait(false);
        }
    }
}
