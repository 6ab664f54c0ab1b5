using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities.InputRecords;
using VirtFlow.Engine.Runtime.Support;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary>
/// <c>message.send</c>: sends a command through the outbox (sent after the commit, at least once, with a
/// deterministic id). With <c>waitForReply</c> it waits for an event with key <c>reply:{commandId}</c>.
/// </summary>
public sealed class MessageSendActivity : BuiltInActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "message.send",
        Pure = true, // its effects (variables, bookmarks, commands, journal) go through the context, committed with the outcome
        Description = "Sends a command to a destination through the outbox; optionally waits for its reply (an event with key reply:COMMANDID).",
        Category = "messaging",
        InputRecord = typeof(With),
        Outputs =
        [
            new("commandId", "string", "The command's id (deterministic: the same after a replay)."),
            new("reply", "any", "The reply's payload (when waiting)."),
        ],
    };

    protected override ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var with = context.Bind<With>();
        var timeout = with.ReplyTimeout;
        var commandId = context.SendCommand(with.Destination, with.MessageType, with.Payload);
        if (!with.WaitForReply) return ValueTask.FromResult(ActivityOutcome.Complete(new JsonObject { ["commandId"] = commandId }));

        context.State["commandId"] = commandId;
        var bookmarks = new List<BookmarkRequest> { new("reply", $"reply:{commandId}") };
        if (timeout is { } t)
        {
            context.State["timeout"] = Durations.Format(t);
            bookmarks.Add(new BookmarkRequest("timeout", DueAt: context.Clock.GetUtcNow() + t));
        }
        return ValueTask.FromResult(ActivityOutcome.Suspend(bookmarks));
    }

    public override ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(stimulus);
        var commandId = context.State["commandId"]?.GetValue<string>();
        if (stimulus.BookmarkName == "reply")
        {
            return ValueTask.FromResult(ActivityOutcome.Complete(new JsonObject
            {
                ["commandId"] = commandId,
                ["reply"] = stimulus.Payload?.DeepClone(),
            }));
        }
        var with = context.Bind<With>();
        var message = $"message.send {with.MessageType} to '{with.Destination}': no reply within {context.State["timeout"]?.GetValue<string>()} (command {commandId})";
        return ValueTask.FromResult(ActivityOutcome.Fault(message, "Timeout"));
    }

    /// <summary>message.send's inputs.</summary>
    private sealed record With(
        [property: Input("Where to: a host id or a queue name.", Required = true)] string Destination,
        [property: Input("The command's type.", Required = true)] string MessageType,
        [property: Input("The command's body.", DefaultJson = "{}")] JsonObject Payload,
        [property: Input("Wait for the reply before completing.", Default = false)] bool WaitForReply,
        [property: Input("How long to wait for the reply at most.")] TimeSpan? ReplyTimeout);
}
