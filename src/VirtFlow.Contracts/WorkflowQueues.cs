namespace VirtFlow.Contracts;

/// <summary>The queues of the server's workflow API (<c>virtflow start</c>), whatever the transport.</summary>
public static class WorkflowQueues
{
    /// <summary>Where <see cref="StartWorkflow"/> is sent (durable: it waits for a server that is not up yet).</summary>
    public const string Start = "virtflow-start";

    /// <summary>Where <see cref="GetWorkflowStatus"/> requests are sent.</summary>
    public const string Status = "virtflow-status";
}
