using System.Collections.Concurrent;

namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// Guarantees that an evaluation ends for its caller within its time limit plus a margin: the JavaScript runs on a
/// pooled <see cref="SandboxWorker"/> thread, and a caller that waited that long gets
/// <see cref="SandboxLimitException"/> (time) while the worker, and the engine it runs, are abandoned (never reused).
/// Jint's own time check is cooperative (between statements); this also covers one long native call.
/// </summary>
internal sealed class SandboxWatchdog(TimeSpan limit, int maxIdle) : IDisposable
{
    private readonly ConcurrentBag<SandboxWorker> _idle = [];
    private int _idleCount;

    /// <summary>Runs <paramref name="work"/>; on time out calls <paramref name="abandon"/> and throws the time limit.</summary>
    public T Run<T>(Func<T> work, Action abandon)
    {
        SandboxWorker worker;
        if (_idle.TryTake(out var taken))
        {
            Interlocked.Decrement(ref _idleCount);
            worker = taken;
        }
        else
        {
            worker = new SandboxWorker();
        }

        bool ended;
        object? result;
        try
        {
            ended = worker.TryRun(() => work(), limit, out result);
        }
        catch
        {
            GiveBack(worker);
            throw;
        }

        if (!ended)
        {
            abandon();
            worker.Stop();
            throw new SandboxLimitException(SandboxLimit.Time);
        }

        GiveBack(worker);
        return (T)result!;
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var worker))
            worker.Stop();
    }

    private void GiveBack(SandboxWorker worker)
    {
        if (Interlocked.Increment(ref _idleCount) > maxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            worker.Stop();
            return;
        }

        _idle.Add(worker);
    }
}
