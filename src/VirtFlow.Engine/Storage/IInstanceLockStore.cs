namespace VirtFlow.Engine.Storage;

/// <summary>Who holds a lock key (<see cref="WorkflowInstance.LockKey"/>): the preflight reports it without trying a start.</summary>
public interface IInstanceLockStore
{
    /// <summary>The id of the Running or Suspended instance holding <paramref name="lockKey"/>, or null when it is free.</summary>
    Task<string?> FindLockHolderAsync(string lockKey, CancellationToken ct = default);
}
