using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.Events;

/// <summary>A step completed (committed).</summary>
public sealed record StepCompleted(
    string InstanceId,
    string WorkflowName,
    DateTimeOffset At,
    string StepPath,
    string StepId,
    JsonObject? Outputs) : EngineEvent(InstanceId, WorkflowName, At);
