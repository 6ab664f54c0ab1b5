using VirtFlow.Engine.Runtime;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IInstanceLockStore
{
    /// <inheritdoc />
    public Task<string?> FindLockHolderAsync(string lockKey, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lockKey);
        lock (_gate)
            return Task.FromResult(HolderOf(lockKey, exceptId: null));
    }

    /// <summary>Under <see cref="_gate"/>: a non-final instance keeping <paramref name="lockKey"/> makes a second holder impossible.</summary>
    private void ThrowIfLocked(string id, string? lockKey, InstanceStatus status)
    {
        if (lockKey is null || status is not (InstanceStatus.Running or InstanceStatus.Suspended)) return;
        if (HolderOf(lockKey, id) is { } holder) throw new WorkflowLockedException(lockKey, holder, id);
    }

    private string? HolderOf(string lockKey, string? exceptId) =>
        _instances.Values
            .Select(k => k.Instance)
            .Where(i => i.LockKey == lockKey && i.Status is (InstanceStatus.Running or InstanceStatus.Suspended) && i.Id != exceptId)
            .Select(i => i.Id)
            .FirstOrDefault();
}
