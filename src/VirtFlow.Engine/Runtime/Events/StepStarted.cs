namespace VirtFlow.Engine.Runtime.Events;

/// <summary>An activity execution started (or was resumed when <see cref="Resumed"/>).</summary>
public sealed record StepStarted(
    string InstanceId,
    string WorkflowName,
    DateTimeOffset At,
    string StepPath,
    string StepId,
    string ActivityType,
    int Attempt,
    bool Resumed) : EngineEvent(InstanceId, WorkflowName, At);
