namespace VirtFlow.Contracts;

/// <summary>
/// Asks the server for an instance's status (request/response on the queue <c>virtflow-status</c>); answered with a
/// <see cref="WorkflowStatus"/>. <c>virtflow start --wait</c> asks once it subscribed, to learn about an instance that
/// already ended, and again now and then in case a published status was lost.
/// </summary>
public sealed record GetWorkflowStatus
{
    public required string InstanceId { get; init; }
}

/// <summary>The answer to <see cref="GetWorkflowStatus"/>: the instance as stored.</summary>
public sealed record WorkflowStatus
{
    public required string InstanceId { get; init; }

    /// <summary>The workflow's name; empty when <see cref="Status"/> is <see cref="WorkflowStatuses.NotFound"/>.</summary>
    public string Workflow { get; init; } = "";

    /// <summary>The engine's status name, or <see cref="WorkflowStatuses.NotFound"/>.</summary>
    public required string Status { get; init; }

    public string? Fault { get; init; }

    /// <summary>The outputs of a completed instance, as a JSON object.</summary>
    public string? OutputsJson { get; init; }

    /// <summary>When the instance started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it last changed (for a final instance: when it ended).</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}
