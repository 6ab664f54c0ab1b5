namespace VirtFlow.Engine.Runtime;

/// <summary>A retry (<see cref="WorkflowEngine.RetryAsync"/>) was refused: the instance does not exist, is not faulted, or the step named is not one of its workflow.</summary>
public sealed class WorkflowRetryException(string message, RetryRefusal reason) : WorkflowEngineException(message)
{
    public RetryRefusal Reason { get; } = reason;
}

/// <summary>Why a retry was refused.</summary>
public enum RetryRefusal
{
    /// <summary>No instance has that id.</summary>
    NotFound,

    /// <summary>The instance is not Faulted (running, completed or cancelled).</summary>
    NotFaulted,

    /// <summary><c>fromStep</c> names no step of the instance's workflow.</summary>
    UnknownStep,
}
