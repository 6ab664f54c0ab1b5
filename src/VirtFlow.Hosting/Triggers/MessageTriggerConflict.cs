namespace VirtFlow.Hosting.Triggers;

/// <summary>A message trigger not bound because <see cref="HeldBy"/> (first by name) has its message type.</summary>
public sealed record MessageTriggerConflict(string MessageType, string Workflow, int Version, string HeldBy);
