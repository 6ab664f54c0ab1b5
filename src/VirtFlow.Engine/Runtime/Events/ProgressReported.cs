using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.Events;

/// <summary>An activity reported progress (live, before any commit).</summary>
public sealed record ProgressReported(
    string InstanceId,
    string WorkflowName,
    DateTimeOffset At,
    string StepPath,
    string StepId,
    JsonObject Data) : EngineEvent(InstanceId, WorkflowName, At);
