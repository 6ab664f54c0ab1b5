namespace VirtFlow.Engine.Runtime.Events;

/// <summary>
/// A live notification from the engine (for progress bars, the designer, <c>virtflow run</c>). Live only:
/// a subscriber that is slow loses the oldest events; the journal in the store is the durable record.
/// </summary>
/// <param name="InstanceId">The instance concerned.</param>
/// <param name="WorkflowName">Its workflow.</param>
/// <param name="At">When it happened (engine clock).</param>
public abstract record EngineEvent(string InstanceId, string WorkflowName, DateTimeOffset At);
