namespace VirtFlow.Contracts;

/// <summary>The status names of <see cref="WorkflowStatusChanged"/> and <see cref="WorkflowStatus"/> beyond the engine's own.</summary>
public static class WorkflowStatuses
{
    /// <summary>A <see cref="StartWorkflow"/> that started nothing: unknown workflow, invalid definition or inputs.</summary>
    public const string Rejected = "Rejected";

    /// <summary>No instance with this id (yet): the start message may still wait in its queue.</summary>
    public const string NotFound = "NotFound";

    /// <summary>True for a status after which nothing changes any more.</summary>
    public static bool IsFinal(string status) => status is "Completed" or "Faulted" or "Cancelled" or Rejected;
}
