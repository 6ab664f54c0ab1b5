namespace VirtFlow.Engine.Storage.Paging;

/// <summary>An instance as a list shows it (no inputs, outputs or state document).</summary>
public sealed record InstanceSummary
{
    public required string Id { get; init; }
    public required string WorkflowName { get; init; }
    public int WorkflowVersion { get; init; }
    public InstanceStatus Status { get; init; }
    public string? CorrelationId { get; init; }

    /// <summary>The input <c>vm</c> when it is a string.</summary>
    public string? Vm { get; init; }

    /// <summary>The input <c>host</c> when it is a string.</summary>
    public string? Host { get; init; }

    public string? Fault { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
