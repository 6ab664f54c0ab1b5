namespace VirtFlow.Engine.Runtime.Events;

/// <summary>An activity waits on bookmarks (committed).</summary>
public sealed record StepSuspended(
    string InstanceId,
    string WorkflowName,
    DateTimeOffset At,
    string StepPath,
    string StepId,
    IReadOnlyList<string> Bookmarks) : EngineEvent(InstanceId, WorkflowName, At);
