namespace VirtFlow.Contracts;

/// <summary>
/// Published by the server when an instance changes status (for <c>virtflow start --wait</c>): <c>Running</c>,
/// <c>Suspended</c>, <c>Completed</c>, <c>Faulted</c>, <c>Cancelled</c>, or <see cref="WorkflowStatuses.Rejected"/> when a
/// <see cref="StartWorkflow"/> could not start anything (unknown workflow name, invalid workflow or inputs).
/// </summary>
public sealed record WorkflowStatusChanged
{
    public required string InstanceId { get; init; }
    public required string Workflow { get; init; }
    public required string Status { get; init; }

    /// <summary>Why it faulted, was cancelled or rejected.</summary>
    public string? Fault { get; init; }

    /// <summary>The outputs of a completed instance, as a JSON object.</summary>
    public string? OutputsJson { get; init; }

    public DateTimeOffset At { get; init; }
}
