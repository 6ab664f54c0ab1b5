namespace VirtFlow.Engine.Runtime;

/// <summary>Optional settings of <see cref="WorkflowEngine.StartAsync"/>.</summary>
public sealed record StartOptions
{
    /// <summary>The new instance's id. When an instance with this id exists, nothing is started and its id is returned (a duplicated start message is harmless).</summary>
    public string? InstanceId { get; init; }

    /// <summary>A business correlation (e.g. a migration request id), visible as <c>instance.correlationId</c>.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The instance that started this one through a <c>call</c> step.</summary>
    public string? ParentInstanceId { get; init; }

    /// <summary>The path of the parent's <c>call</c> step.</summary>
    public string? ParentStepPath { get; init; }
}
