using VirtFlow.Engine.Expressions;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary>
/// Base of the built-in activities: turns a bad input (and an expression error) into a fault, and refuses a
/// resume for activities that never suspend.
/// </summary>
public abstract class BuiltInActivity : IActivity
{
    public abstract ActivityDescriptor Descriptor { get; }

    public async ValueTask<ActivityOutcome> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (ActivityInputException ex)
        {
            return ActivityOutcome.Fault($"{Descriptor.Type}: {ex.Message}", "InvalidInput");
        }
        catch (ExpressionException ex)
        {
            return ActivityOutcome.Fault(ex.Message, "ExpressionError");
        }
    }

    public virtual ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ActivityOutcome.Fault($"{Descriptor.Type} never waits, yet it was resumed by '{stimulus?.BookmarkName}'", "UnexpectedResume"));

    public virtual ValueTask AbandonAsync(ActivityContext context, string reason, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The activity's work (first call of an attempt).</summary>
    protected abstract ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken);
}
