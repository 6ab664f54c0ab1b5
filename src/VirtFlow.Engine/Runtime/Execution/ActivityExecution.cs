using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>An activity call in flight: its work item, context, task and cancellation.</summary>
internal sealed class ActivityExecution(WorkItem item, RuntimeActivityContext context, CancellationTokenSource? cancellation)
{
    public WorkItem Item { get; } = item;
    public RuntimeActivityContext Context { get; } = context;

    /// <summary>The call's own source, linked to the run's token; null when the call has the run's token itself (a pure call without a timeout).</summary>
    public CancellationTokenSource? Cancellation { get; } = cancellation;

    /// <summary>The stimulus being delivered (resume only).</summary>
    public PendingStimulus? Stimulus { get; init; }

    /// <summary>When the step's own timeout cancels the call.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The step timeout's own source (disposed with the execution).</summary>
    public CancellationTokenSource? TimeoutSource { get; init; }

    /// <summary>The activity is <see cref="Activities.ActivityDescriptor.Pure"/>: no checkpoint needed around it.</summary>
    public bool Pure { get; init; }

    public Task<ActivityOutcome?> Task { get; set; } = null!;

    public string Path => Item.Path;

    public void DisposeSources()
    {
        Cancellation?.Dispose();
        TimeoutSource?.Dispose();
    }
}
