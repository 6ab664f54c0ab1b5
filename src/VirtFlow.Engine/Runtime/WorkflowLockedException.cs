namespace VirtFlow.Engine.Runtime;

/// <summary>
/// A start (or a retry) was refused: its workflow's <c>lock:</c> key is held by another instance that has not ended.
/// The HTTP API answers it with 409; <c>virtflow start</c> prints it. Thrown by the store's commit, so the check holds
/// across every engine sharing the store.
/// </summary>
public sealed class WorkflowLockedException : WorkflowEngineException
{
    public WorkflowLockedException(string lockKey, string holderInstanceId, string? instanceId = null)
        : base($"lock '{lockKey}' is held by instance {holderInstanceId}: it can start once that instance has ended (completed, faulted or cancelled)")
    {
        LockKey = lockKey;
        HolderInstanceId = holderInstanceId;
        InstanceId = instanceId;
    }

    /// <summary>The resource, e.g. <c>vm:h1/web1</c>.</summary>
    public string LockKey { get; }

    /// <summary>The instance that holds it.</summary>
    public string HolderInstanceId { get; }

    /// <summary>The instance that was refused (null when not known).</summary>
    public string? InstanceId { get; }
}
