using System.Runtime.ExceptionServices;

namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// A thread that runs evaluations handed to it one at a time, so that the caller can stop waiting for one
/// (<see cref="SandboxWatchdog"/>). Abandoned, it ends after the evaluation it is stuck in, if ever; nothing waits for it.
/// </summary>
internal sealed class SandboxWorker
{
    private readonly SemaphoreSlim _start = new(0);
    private readonly ManualResetEventSlim _done = new(false);
    private Func<object?>? _work;
    private object? _result;
    private ExceptionDispatchInfo? _error;
    private volatile bool _stopping;

    public SandboxWorker()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "virtflow-script" };
        thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on this worker; false when it did not end within <paramref name="limit"/>.</summary>
    public bool TryRun(Func<object?> work, TimeSpan limit, out object? result)
    {
        _work = work;
        _result = null;
        _error = null;
        _done.Reset();
        _start.Release();
        if (!_done.Wait(limit))
        {
            result = null;
            return false;
        }

        _error?.Throw();
        result = _result;
        return true;
    }

    /// <summary>Ends the thread once its current evaluation (if any) is over.</summary>
    public void Stop()
    {
        _stopping = true;
        _start.Release();
    }

    private void Loop()
    {
        while (true)
        {
            _start.Wait();
            if (_stopping)
                return;
            try
            {
                _result = _work!();
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _work = null;
                _done.Set();
            }
        }
    }
}
