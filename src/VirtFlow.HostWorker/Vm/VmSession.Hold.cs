namespace VirtFlow.HostWorker;

// While the guest is held for a pivot, the session's own readers (event forwarding, progress) send QEMU nothing: their
// query-jobs/query-block would queue on the same monitor in front of the pivot's job-finalize and cont, inside the pause
// window. Events keep arriving in the forwarder's queue and are published, in order, once the hold ends.
internal sealed partial class VmSession
{
    private readonly Lock _holdGate = new();
    private int _holds;
    private TaskCompletionSource _unheld = Completed();

    /// <summary>Holds back the session's own QEMU queries (and so its events) until disposed; holds nest.</summary>
    public IDisposable HoldQueries()
    {
        lock (_holdGate)
        {
            if (_holds++ == 0) _unheld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return new QueryHold(this);
    }

    /// <summary>Completes when no hold is in place.</summary>
    private Task Unheld()
    {
        lock (_holdGate) return _unheld.Task;
    }

    private void EndHold()
    {
        lock (_holdGate)
        {
            if (--_holds == 0) _unheld.TrySetResult();
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private sealed class QueryHold(VmSession session) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) session.EndHold();
        }
    }
}
