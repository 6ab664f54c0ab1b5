using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>A call decided by the walk, started after the next checkpoint (or at once, for a <see cref="ActivityDescriptor.Pure"/> activity).</summary>
internal sealed record PreparedCall(
    WorkItem Item,
    RuntimeActivityContext Context,
    PendingStimulus? Stimulus,
    Func<CancellationToken, ValueTask<ActivityOutcome>> Call,
    bool Pure);
