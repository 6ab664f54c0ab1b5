using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>What a walk of a step (or a list of steps) found: done, still going, faulted, or cancelled.</summary>
internal readonly record struct Flow(FlowKind Kind, StepError? Error = null)
{
    public static readonly Flow Done = new(FlowKind.Done);
    public static readonly Flow Pending = new(FlowKind.Pending);
    public static readonly Flow Cancelled = new(FlowKind.Cancelled);

    public static Flow Faulted(StepError error) => new(FlowKind.Faulted, error);
}

internal enum FlowKind
{
    Done,
    Pending,
    Faulted,
    Cancelled,
}
