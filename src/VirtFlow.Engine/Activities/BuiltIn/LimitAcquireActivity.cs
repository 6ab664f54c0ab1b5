using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage.Limits;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary>
/// <c>limit.acquire</c>: takes a slot of a counted limit shared by every instance on the store (at most <c>max</c> holders
/// of <c>key</c> at once), waiting with a durable timer while it is full. The slot is given back by <c>limit.release</c>,
/// and in any case when the instance ends (the store counts only Running and Suspended instances). See docs/fleet.md.
/// </summary>
public sealed class LimitAcquireActivity : BuiltInActivity
{
    /// <summary>How often a full limit is tried again, unless the step says otherwise.</summary>
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromSeconds(1);

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "limit.acquire",
        Description = "Takes a slot of a counted limit shared by every instance on the store (at most max holders of key at once); waits while it is full.",
        Inputs =
        [
            new("key", "string", "The limit's name, e.g. storage:/new/root.", Required: true),
            new("max", "integer", "At most this many holders at once (1 to 10000).", Required: true),
            new("holder", "string", "Which part of the instance holds the slot (default: the instance itself); limit.release names the same."),
            new("poll", "duration", "How often a full limit is tried again.", Default: "1s"),
            new("timeout", "duration", "How long to wait for a slot at most (default: no limit)."),
        ],
        Outputs =
        [
            new("key", "string", "The limit's name."),
            new("holder", "string", "The holder that has the slot."),
            new("waitedMs", "integer", "How long the step waited for its slot."),
            new("holders", "array", "Every holder right after the slot was taken: [{ instanceId, holder, acquiredAt }]."),
        ],
    };

    protected override ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        context.State["since"] = context.Clock.GetUtcNow().ToString("O");
        return TryAsync(context, cancellationToken);
    }

    public override async ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await TryAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (ActivityInputException ex)
        {
            return ActivityOutcome.Fault($"{Descriptor.Type}: {ex.Message}", "InvalidInput");
        }
    }

    private async ValueTask<ActivityOutcome> TryAsync(ActivityContext context, CancellationToken ct)
    {
        var key = context.RequiredString("key");
        var max = Max(context);
        var holder = context.OptionalString("holder") is { Length: > 0 } h ? h : context.InstanceId;
        var poll = context.OptionalDuration("poll") ?? DefaultPoll;
        if (poll <= TimeSpan.Zero) throw new ActivityInputException("input 'poll' must be longer than 0");
        var store = context.Limits ?? throw new ActivityInputException("this engine's store has no counted limits");
        var claim = await store.TryAcquireLimitAsync(key, max, context.InstanceId, holder, ct).ConfigureAwait(false);
        var now = context.Clock.GetUtcNow();
        var since = DateTimeOffset.Parse(context.State["since"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        if (claim.Acquired)
        {
            context.Journal("LimitAcquired", $"limit {key}: slot taken by {holder} ({claim.Holders.Count}/{max} held)", new JsonObject { ["key"] = key, ["holder"] = holder, ["held"] = claim.Holders.Count, ["max"] = max });
            return ActivityOutcome.Complete(new JsonObject
            {
                ["key"] = key,
                ["holder"] = holder,
                ["waitedMs"] = (long)(now - since).TotalMilliseconds,
                ["holders"] = Holders(claim.Holders),
            });
        }
        if (context.OptionalDuration("timeout") is { } timeout && now - since >= timeout)
            return ActivityOutcome.Fault($"limit {key}: no slot within {timeout} ({max} held by {string.Join(", ", claim.Holders.Select(x => x.InstanceId))})", "LimitTimeout");
        if (context.State["waiting"] is null)
        {
            context.State["waiting"] = true;
            context.Journal("LimitWaiting", $"limit {key}: all {max} slots held ({string.Join(", ", claim.Holders.Select(x => x.InstanceId))}); waiting", new JsonObject { ["key"] = key, ["max"] = max });
        }
        return ActivityOutcome.Suspend(new BookmarkRequest("limit", DueAt: now + poll));
    }

    private static int Max(ActivityContext context)
    {
        var node = context.Inputs["max"];
        if (Expressions.JsonNumbers.TryGetDouble(node, out var m) && m == Math.Floor(m) && m is >= 1 and <= 10_000) return (int)m;
        throw new ActivityInputException($"input 'max' must be a whole number from 1 to 10000, not {node?.ToJsonString() ?? "null"}");
    }

    private static JsonArray Holders(IReadOnlyList<LimitHolder> holders) =>
        [.. holders.Select(h => (JsonNode)new JsonObject { ["instanceId"] = h.InstanceId, ["holder"] = h.Holder, ["acquiredAt"] = h.AcquiredAt.ToString("O") })];
}
