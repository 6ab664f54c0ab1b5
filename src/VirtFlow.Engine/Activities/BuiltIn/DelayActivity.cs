using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary><c>delay</c>: waits for a duration or until a time, as a timer bookmark (survives restarts, holds no thread).</summary>
public sealed class DelayActivity : BuiltInActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "delay",
        Description = "Waits for a duration, or until a point in time (a durable timer).",
        InputRecord = typeof(With),
        Outputs = [new("until", "string", "When the wait ended (ISO 8601).")],
    };

    protected override ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var (duration, until) = context.Bind<With>();
        if (duration is null == until is null)
            throw new ActivityInputException("give either 'duration' or 'until' (exactly one)");
        var now = context.Clock.GetUtcNow();
        var due = until ?? now + duration!.Value;
        context.State["until"] = due.ToString("O");
        return ValueTask.FromResult(due <= now
            ? Done(due)
            : ActivityOutcome.Suspend(new BookmarkRequest("delay", DueAt: due)));
    }

    public override ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var due = DateTimeOffset.TryParse(context.State["until"]?.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at)
            ? at
            : context.Clock.GetUtcNow();
        return ValueTask.FromResult(Done(due));
    }

    /// <summary>delay's inputs.</summary>
    private sealed record With(
        [property: Input("How long to wait (30s, 5m, PT1H). Either this or until.")] TimeSpan? Duration,
        [property: Input("When to go on (ISO 8601 timestamp). Either this or duration.")] DateTimeOffset? Until);

    private static ActivityOutcome Done(DateTimeOffset due) => ActivityOutcome.Complete(new JsonObject { ["until"] = due.ToString("O") });
}
