using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Messaging;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Core;

/// <summary>
/// Base of the VM activities: each sends host commands through the outbox (<see cref="Ask"/>) and suspends on
/// the reply's key (<c>reply:{commandId}</c>) with a timer; the command it waits for is kept in its state, so
/// a resume, or a re-run after a crash (same command ids), continues where it was. An activity never blocks:
/// every wait is a bookmark. Bad inputs fault with code <c>InvalidInput</c>.
/// </summary>
public abstract class VmActivity : IActivity
{
    /// <summary>The bookmark of a command's reply.</summary>
    protected const string ReplyBookmark = "reply";

    /// <summary>The timer bookmark of a command's reply.</summary>
    protected const string ReplyTimeoutBookmark = "reply-timeout";

    public abstract ActivityDescriptor Descriptor { get; }

    public ValueTask<ActivityOutcome> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Guard(context, () => Start(context));
    }

    public ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(stimulus);
        return Guard(context, () => Resume(context, stimulus));
    }

    /// <summary>Abandoned while waiting (instance cancelled, step timed out, sibling faulted). Default: nothing.</summary>
    public virtual ValueTask AbandonAsync(ActivityContext context, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            OnAbandon(context, reason);
        }
        catch (ActivityInputException)
        {
            // inputs that never worked: nothing was sent, nothing to undo
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The step's inputs bound to the activity's input record (<see cref="ActivityDescriptor.InputRecord"/>), once per call
    /// (a bad input throws <see cref="ActivityInputException"/>: the step faults with code <c>InvalidInput</c>).
    /// </summary>
    private protected T In<T>(ActivityContext context)
        where T : HostInputs =>
        (T)context.Bind(Descriptor.InputRecord ?? throw new InvalidOperationException($"{Descriptor.Type} declares no input record"));

    /// <summary>The first call of an attempt.</summary>
    protected abstract ActivityOutcome Start(ActivityContext context);

    /// <summary>A command's reply arrived. <paramref name="command"/> is what it answers (already cleared from the state).</summary>
    private protected virtual ActivityOutcome OnReply(ActivityContext context, PendingCommand command, HostReply reply) =>
        Unexpected(command.Purpose);

    /// <summary>No reply within the command's timeout. Default: a fault that says which host did not answer.</summary>
    private protected virtual ActivityOutcome OnNoAnswer(ActivityContext context, PendingCommand command) =>
        ActivityOutcome.Fault(NoAnswer(command), "NoAnswer");

    /// <summary>Abandoned: the chance to send a compensating command (fire and forget, through the outbox).</summary>
    protected virtual void OnAbandon(ActivityContext context, string reason)
    {
    }

    /// <summary>Resumes a wait for one command's reply. Activities that wait for more (events, timers) override it.</summary>
    protected virtual ActivityOutcome Resume(ActivityContext context, ActivityStimulus stimulus)
    {
        var command = PendingCommand.Read(context.State);
        if (command is null) return Unexpected(stimulus.BookmarkName);
        if (IsStale(command, stimulus)) return ActivityOutcome.Suspend(WaitFor(command));
        return stimulus.BookmarkName switch
        {
            ReplyBookmark => Answered(context, command, stimulus),
            ReplyTimeoutBookmark => TimedOut(context, command),
            _ => Unexpected(stimulus.BookmarkName),
        };
    }

    /// <summary>
    /// A hit meant for an earlier command: its reply and its timer were both hit before the first of them was
    /// handled, and the activity has moved on to another command since. Such a hit is ignored.
    /// </summary>
    private protected static bool IsStale(PendingCommand command, ActivityStimulus stimulus) =>
        stimulus.BookmarkName is ReplyBookmark or ReplyTimeoutBookmark
        && stimulus.Data?["commandId"]?.GetValue<string>() is { } id
        && id != command.Id;

    /// <summary>Handles a reply stimulus for <paramref name="command"/>: clears it from the state and calls <see cref="OnReply"/>.</summary>
    private protected ActivityOutcome Answered(ActivityContext context, PendingCommand command, ActivityStimulus stimulus)
    {
        PendingCommand.Clear(context.State);
        var reply = HostReply.Read(stimulus.Payload);
        if (reply is null)
            return ActivityOutcome.Fault($"the answer of host '{command.Host}' to {command.MessageType} is not a command result: {stimulus.Payload?.ToJsonString() ?? "null"}", "BadReply");
        return OnReply(context, command, reply);
    }

    /// <summary>Handles the reply timer of <paramref name="command"/>.</summary>
    private protected ActivityOutcome TimedOut(ActivityContext context, PendingCommand command)
    {
        PendingCommand.Clear(context.State);
        return OnNoAnswer(context, command);
    }

    /// <summary>
    /// Sends <paramref name="command"/> to <paramref name="host"/> and waits for its reply (at most
    /// <paramref name="timeout"/>), plus any <paramref name="alsoWaitFor"/>.
    /// </summary>
    protected static ActivityOutcome Ask(ActivityContext context, string host, HostCommand command, string purpose, TimeSpan timeout, IEnumerable<BookmarkRequest>? alsoWaitFor = null) =>
        ActivityOutcome.Suspend([.. Send(context, host, command, purpose, timeout), .. alsoWaitFor ?? []]);

    /// <summary>Sends a command whose reply is awaited: records it and returns its two bookmarks.</summary>
    protected static BookmarkRequest[] Send(ActivityContext context, string host, HostCommand command, string purpose, TimeSpan timeout)
    {
        var id = Tell(context, host, command with { ReplyWithin = timeout });
        var pending = new PendingCommand(id, HostMessageJson.MessageType(command), purpose, host, DurationText.Format(timeout), context.Clock.GetUtcNow() + timeout);
        pending.Save(context.State);
        return WaitFor(pending);
    }

    /// <summary>The bookmarks of a command's reply (to re-arm them when an activity suspends again for something else).</summary>
    private protected static BookmarkRequest[] WaitFor(PendingCommand pending) =>
    [
        new(ReplyBookmark, EventKeys.Reply(pending.Id), Data: new JsonObject { ["commandId"] = pending.Id }),
        new(ReplyTimeoutBookmark, DueAt: pending.DueAt, Data: new JsonObject { ["commandId"] = pending.Id }),
    ];

    /// <summary>Sends a command without waiting for its reply (a compensation); returns its id.</summary>
    protected static string Tell(ActivityContext context, string host, HostCommand command)
    {
        var stamped = command with { HostId = host, InstanceId = context.InstanceId, IssuedAt = context.Clock.GetUtcNow() };
        return context.SendCommand(host, HostMessageJson.MessageType(stamped), HostMessageJson.ToPayload(stamped));
    }

    /// <summary>"no answer from host 'h1' within 2m for MirrorDisks (is a worker running for it?)"</summary>
    private protected static string NoAnswer(PendingCommand command) =>
        $"no answer from host '{command.Host}' within {command.Timeout} for {command.MessageType} (is a worker running for it?)";

    /// <summary>The placeholder command id of a command being built: the outbox assigns the real one (the transport puts it in the payload).</summary>
    protected const string AssignedByOutbox = "";

    private ActivityOutcome Unexpected(string what) =>
        ActivityOutcome.Fault($"{Descriptor.Type} was resumed by '{what}' but waits for nothing of that name", "UnexpectedResume");

    private ValueTask<ActivityOutcome> Guard(ActivityContext context, Func<ActivityOutcome> run)
    {
        try
        {
            return ValueTask.FromResult(run());
        }
        catch (ActivityInputException ex)
        {
            return ValueTask.FromResult(ActivityOutcome.Fault($"{Descriptor.Type}: {ex.Message}", "InvalidInput"));
        }
    }

    /// <summary>A JSON array of strings.</summary>
    protected static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
