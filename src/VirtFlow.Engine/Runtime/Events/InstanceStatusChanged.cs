using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime.Events;

/// <summary>An instance's status was committed: started (Running), Suspended, or final (with <see cref="Fault"/> or <see cref="Output"/>).</summary>
public sealed record InstanceStatusChanged(
    string InstanceId,
    string WorkflowName,
    DateTimeOffset At,
    InstanceStatus Status,
    string? Fault,
    JsonObject? Output) : EngineEvent(InstanceId, WorkflowName, At);
