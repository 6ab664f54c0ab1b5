using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities.InputRecords;
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
        InputRecord = typeof(With),
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
        var with = context.Bind<With>();
        var (key, max) = (with.Key, with.Max);
        var holder = with.Holder is { Length: > 0 } h ? h : context.InstanceId;
        var poll = with.Poll;
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
        if (with.Timeout is { } timeout && now - since >= timeout)
            return ActivityOutcome.Fault($"limit {key}: no slot within {timeout} ({max} held by {string.Join(", ", claim.Holders.Select(x => x.InstanceId))})", "LimitTimeout");
        if (context.State["waiting"] is null)
        {
            context.State["waiting"] = true;
            context.Journal("LimitWaiting", $"limit {key}: all {max} slots held ({string.Join(", ", claim.Holders.Select(x => x.InstanceId))}); waiting", new JsonObject { ["key"] = key, ["max"] = max });
        }
        return ActivityOutcome.Suspend(new BookmarkRequest("limit", DueAt: now + poll));
    }

    /// <summary>limit.acquire's inputs (poll's default is <see cref="DefaultPoll"/>).</summary>
    private sealed record With(
        [property: Input("The limit's name, e.g. storage:/new/root.", Required = true)] string Key,
        [property: Input("At most this many holders at once (1 to 10000).", Required = true, Min = 1, Max = 10_000)] int Max,
        [property: Input("Which part of the instance holds the slot (default: the instance itself); limit.release names the same.")] string? Holder,
        [property: Input("How often a full limit is tried again.", Default = "1s", Positive = true)] TimeSpan Poll,
        [property: Input("How long to wait for a slot at most (default: no limit).")] TimeSpan? Timeout);

    private static JsonArray Holders(IReadOnlyList<LimitHolder> holders) =>
        [.. holders.Select(h => (JsonNode)new JsonObject { ["instanceId"] = h.InstanceId, ["holder"] = h.Holder, ["acquiredAt"] = h.AcquiredAt.ToString("O") })];
}
