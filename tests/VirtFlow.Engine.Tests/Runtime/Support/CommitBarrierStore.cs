using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Tests.Runtime.Support;

/// <summary>
/// A store wrapper for races: the first commit that journals <c>Resumed</c> waits (up to 5 s) until the other
/// engine's wrapper has reached the same point, so two engines really commit from the same version.
/// </summary>
public sealed class CommitBarrierStore(IWorkflowStore inner, CommitBarrier barrier) : WorkflowStoreDecorator(inner)
{
    public override async Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default)
    {
        if (commit.Journal.Any(j => j.Kind == "Resumed")) await barrier.ArriveAsync();
        return await base.CommitAsync(commit, ct);
    }
}

/// <summary>Releases everyone once <c>parties</c> have arrived (or after 5 s).</summary>
public sealed class CommitBarrier(int parties)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public int Arrived => Volatile.Read(ref _arrived);

    public async Task ArriveAsync()
    {
        if (Interlocked.Increment(ref _arrived) >= parties) _all.TrySetResult();
        await Task.WhenAny(_all.Task, Task.Delay(5000));
    }
}
