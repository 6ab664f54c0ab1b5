namespace VirtFlow.Contracts;

/// <summary>
/// Starts a workflow by message. <see cref="MessageId"/> becomes the instance id: a message with an id
/// already seen starts nothing new.
/// </summary>
public sealed record StartWorkflow
{
    public required string MessageId { get; init; }

    /// <summary>A workflow name known to the server (or the file name without extension).</summary>
    public required string Workflow { get; init; }

    /// <summary>The inputs as a JSON object.</summary>
    public string InputsJson { get; init; } = "{}";

    public string? CorrelationId { get; init; }
}

/// <summary>Published by the engine when an instance changes status (for <c>virtflow start --wait</c>).</summary>
public sealed record WorkflowStatusChanged
{
    public required string InstanceId { get; init; }
    public required string Workflow { get; init; }
    public required string Status { get; init; }
    public string? Fault { get; init; }
    public string? OutputsJson { get; init; }
    public DateTimeOffset At { get; init; }
}
