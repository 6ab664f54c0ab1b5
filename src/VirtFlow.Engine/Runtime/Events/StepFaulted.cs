namespace VirtFlow.Engine.Runtime.Events;

/// <summary>A step faulted (committed). <see cref="WillRetry"/> when a retry is scheduled.</summary>
public sealed record StepFaulted(
    string InstanceId,
    string WorkflowName,
    DateTimeOffset At,
    string StepPath,
    string StepId,
    string Message,
    string? Code,
    bool WillRetry) : EngineEvent(InstanceId, WorkflowName, At);
