namespace VirtFlow.Engine.Runtime.State;

/// <summary>The life of one execution of a step (one path).</summary>
internal enum StepStatus
{
    /// <summary>Created by the walk, not started yet.</summary>
    Pending,

    /// <summary>Executing (an activity in flight, or a structural step whose children are in progress).</summary>
    Running,

    /// <summary>An activity waiting on bookmarks (an event, a timer, a retry delay).</summary>
    Suspended,
    Completed,
    Faulted,
    Skipped,
    Cancelled,
}
