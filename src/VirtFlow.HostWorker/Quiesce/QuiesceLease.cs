using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>A quiesce held by the worker until unquiesce, or until it runs out (docs/rules.md#r5-quiesce-lease).</summary>
internal sealed class QuiesceLease(string id, string method, bool wasPaused, int frozen)
{
    public string Id { get; } = id;

    /// <summary>fsfreeze, pause or none.</summary>
    public string Method { get; } = method;

    /// <summary>The VM was not running when quiesced: it is not resumed on release.</summary>
    public bool WasPaused { get; } = wasPaused;

    public int FrozenFilesystems { get; } = frozen;

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Fires at <see cref="ExpiresAt"/> (and again while a release keeps failing).</summary>
    public ITimer? Timer { get; set; }

    /// <summary>How many releases failed (the agent did not answer the thaw).</summary>
    public int FailedReleases { get; set; }

    /// <summary>
    /// A pause this worker made: the run-state events (all but the job ones) seen on <see cref="WatchedClient"/> from just before
    /// its <c>stop</c>. While they show nothing but that stop, the VM is still paused by it, as far as the worker has read its
    /// monitor: a release right behind a read (the pivot's, once its last job concluded) resumes it without asking
    /// <c>query-status</c> first (inside the pause window). Null for a lease taken over from a file.
    /// </summary>
    public QmpEventSubscription? RunStateWatch { get; set; }

    /// <summary>The monitor connection <see cref="RunStateWatch"/> listens on (a reconnect means asking again).</summary>
    public IQmpClient? WatchedClient { get; set; }

    /// <summary>True once <see cref="RunStateWatch"/> showed the <c>STOP</c> of this lease's pause.</summary>
    public bool StopSeen { get; set; }

    /// <summary>
    /// True when the watch proves the VM is still paused by this lease on <paramref name="client"/>: its STOP came and no other
    /// run-state event since (resume, shutdown, reset, migration, an I/O error...), and no event was lost. False: ask QEMU.
    /// </summary>
    public bool StillPausedByThis(IQmpClient client)
    {
        if (RunStateWatch is not { } watch || !ReferenceEquals(client, WatchedClient)) return false;
        while (watch.Reader.TryRead(out var e))
        {
            if (e.Name != "STOP") return Unsure();
            StopSeen = true;
        }
        return !watch.Reader.Completion.IsCompleted && StopSeen || Unsure();
    }

    /// <summary>Ends the watch (the lease is over).</summary>
    public void EndWatch()
    {
        RunStateWatch?.Dispose();
        RunStateWatch = null;
        WatchedClient = null;
    }

    private bool Unsure()
    {
        EndWatch();
        return false;
    }
}
