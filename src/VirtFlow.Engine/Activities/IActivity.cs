namespace VirtFlow.Engine.Activities;

/// <summary>
/// A plug-in step. The runtime calls <see cref="ExecuteAsync"/> once per attempt; an activity that
/// must wait (for a command result, an event or a timer) returns <see cref="ActivityOutcome.Suspend(BookmarkRequest[])"/>
/// with bookmarks, keeps what it needs in <see cref="ActivityContext.State"/> (persisted with the
/// instance), and is called again through <see cref="ResumeAsync"/> when a bookmark is hit. An
/// activity never blocks a thread on the outside world: everything slow is a bookmark, so an instance
/// survives a restart of any process.
/// </summary>
public interface IActivity
{
    ActivityDescriptor Descriptor { get; }

    ValueTask<ActivityOutcome> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken);

    /// <summary>Called when one of the step's bookmarks is hit (an event, a command result, or a timer).</summary>
    ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken);

    /// <summary>
    /// Called when the step is abandoned while suspended (a parallel sibling faulted, the step timed out,
    /// the instance was cancelled): the chance to send a compensating command. Default: nothing.
    /// </summary>
    ValueTask AbandonAsync(ActivityContext context, string reason, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
