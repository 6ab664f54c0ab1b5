using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities.InputRecords;
using VirtFlow.Engine.Runtime.Support;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary>
/// <c>waitEvent</c>: waits for an event with key <c>event:{event}:{correlation}</c> (or <c>event:{event}</c>
/// without a correlation); an event published before the wait began counts. With a timeout it faults, or
/// completes with <c>timedOut: true</c> when <c>onTimeout: continue</c>.
/// </summary>
public sealed class WaitEventActivity : BuiltInActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "waitEvent",
        Description = "Waits for an event (key event:NAME:CORRELATION); publish it with the engine's PublishEvent. An event that came before the wait counts.",
        InputRecord = typeof(With),
        Outputs =
        [
            new("payload", "any", "The event's payload (null after a timeout)."),
            new("timedOut", "boolean", "True when the timeout passed first."),
            new("eventId", "string", "The event's id."),
        ],
    };

    /// <summary>The key a waitEvent step waits for.</summary>
    public static string KeyFor(string eventName, string? correlation) =>
        correlation is null ? $"event:{eventName}" : $"event:{eventName}:{correlation}";

    protected override ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var with = context.Bind<With>();
        var bookmarks = new List<BookmarkRequest> { new("event", KeyFor(with.Event, with.Correlation)) };
        if (with.Timeout is { } t)
        {
            bookmarks.Add(new BookmarkRequest("timeout", DueAt: context.Clock.GetUtcNow() + t));
            context.State["timeout"] = Durations.Format(t);
        }
        return ValueTask.FromResult(ActivityOutcome.Suspend(bookmarks));
    }

    public override ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(stimulus);
        if (stimulus.BookmarkName == "event")
        {
            return ValueTask.FromResult(ActivityOutcome.Complete(new JsonObject
            {
                ["payload"] = stimulus.Payload?.DeepClone(),
                ["timedOut"] = false,
                ["eventId"] = stimulus.EventId,
            }));
        }
        var with = context.Bind<With>();
        if (with.OnTimeout == TimeoutAction.Continue)
            return ValueTask.FromResult(ActivityOutcome.Complete(new JsonObject { ["payload"] = null, ["timedOut"] = true }));
        var message = $"waitEvent '{with.Event}'"
            + (with.Correlation is null ? "" : $" (correlation {with.Correlation})")
            + $" timed out after {context.State["timeout"]?.GetValue<string>()}";
        return ValueTask.FromResult(ActivityOutcome.Fault(message, "Timeout"));
    }

    /// <summary>What a timeout does.</summary>
    private enum TimeoutAction
    {
        Fault,
        Continue,
    }

    /// <summary>waitEvent's inputs.</summary>
    private sealed record With(
        [property: Input("The event's name, e.g. approval.", Required = true)] string Event,
        [property: Input("What tells this wait's event from others, e.g. an order id.")] string? Correlation,
        [property: Input("How long to wait at most.")] TimeSpan? Timeout,
        [property: Input("fault: the step faults; continue: it completes with timedOut = true.", Default = "fault")] TimeoutAction OnTimeout);
}
