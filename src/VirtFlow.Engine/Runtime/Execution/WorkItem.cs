using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>A leaf the walk found ready: to start (or re-run after a crash), to resume with a stimulus, or to abandon.</summary>
internal sealed record WorkItem(WorkKind Kind, string Path, ActivityStep Step, StepState State, Frame Frame, string? Reason = null);

internal enum WorkKind
{
    Start,
    Resume,
    Abandon,
}
