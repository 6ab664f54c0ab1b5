using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

// Quiesce leases kept on disk (HostWorkerOptions.StateDirectory): written before the guest is held, rewritten when renewed,
// deleted when released, and taken over by the next worker once it holds the VM's QMP monitor, so that a worker killed -9
// leaves no VM paused (rule 5 across processes).
public sealed partial class HostWorker
{
    /// <summary>
    /// Creates <see cref="HostWorkerOptions.StateDirectory"/> (when set) and checks that the worker can write in it.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public static void PrepareStateDirectory(HostWorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.StateDirectory is not { } dir) return;
        try
        {
            new LeaseFiles(dir, options.HostId).Prepare();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"state directory {dir}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new IOException($"state directory {dir}: {e.Message}", e);
        }
    }

    /// <summary>Saves <paramref name="lease"/> of <paramref name="session"/>; failures are logged (the lease in memory stays right).</summary>
    private void SaveLeaseQuietly(VmSession session, QuiesceLease lease)
    {
        try
        {
            _leaseFiles?.Save(session.Name, lease);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LeaseStateFailed(_logger, session.Name, lease.Id, "save", e.Message);
        }
    }

    /// <summary>Deletes the lease file of <paramref name="session"/>; failures are logged.</summary>
    private void ForgetLeaseQuietly(VmSession session, string leaseId)
    {
        try
        {
            _leaseFiles?.Delete(session.Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LeaseStateFailed(_logger, session.Name, leaseId, "delete", e.Message);
        }
    }

    /// <summary>
    /// Once per process and VM, under <see cref="VmSession.QuiesceLock"/> and only once the QMP monitor is held (so a
    /// standby never takes a lease from the live worker): takes over the lease a worker that died left on disk. A pause
    /// lease still running is held again with its timer re-armed (unquiesce and renew by its id work as before); an
    /// fsfreeze lease (a frozen guest stalls its I/O) and one that ran out meanwhile are ended now (<see cref="ReleaseAsync"/>: a VM it paused is resumed only if it is still paused and was
    /// running before the quiesce; a frozen guest is thawed). Throws <see cref="HostCommandException"/> when the monitor is
    /// not connected (nothing is taken over then; the next call tries again).
    /// </summary>
    private async Task RecoverLeaseAsync(VmSession session, CancellationToken ct)
    {
        if (_leaseFiles is null || session.LeaseRecovered || session.Lease is not null) return;
        await session.GetClientAsync(ct).ConfigureAwait(false);
        session.LeaseRecovered = true;
        PersistedLease? saved;
        try
        {
            saved = _leaseFiles.Load(session.Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Log.LeaseStateFailed(_logger, session.Name, "(unknown)", "read", e.Message);
            return;
        }
        if (saved is null) return;
        var lease = new QuiesceLease(saved.LeaseId, saved.Method, saved.WasPaused, saved.FrozenFilesystems) { ExpiresAt = saved.ExpiresAt };
        // Created disarmed: armed for the rest of a running lease, or by a release that fails (to retry).
        lease.Timer = _time.CreateTimer(_ => OnLeaseTimer(session, lease), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        session.Lease = lease;
        var left = lease.ExpiresAt - _time.GetUtcNow();
        string reason;
        if (left <= TimerSlack)
        {
            Log.LeaseRanOutUnheld(_logger, session.Name, lease.Id, lease.Method, lease.ExpiresAt, lease.WasPaused);
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
            Log.LeaseTakenOver(_logger, session.Name, lease.Id, lease.Method, lease.ExpiresAt, lease.WasPaused);
            return;
        }
        var outcome = await ReleaseAsync(session, lease, reason).ConfigureAwait(false);
        var expired = _events.LeaseExpired(session.Name, lease.Id, lease.Method, outcome.Released, outcome.Thawed, outcome.FreezeStatus, outcome.Resumed, outcome.Error);
        PublishInBackground(session, outcome.Released ? expired : expired with { EventId = expired.EventId + "/release-failed" });
    }

    /// <summary>Publishes outside the caller's lock (with the broker away the event waits in the sink's queue).</summary>
    private static void PublishInBackground(VmSession session, HostEvent e) =>
        session.TrackBackground(Task.Run(() => session.PublishAsync(e, CancellationToken.None)));
}
