using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary><c>limit.release</c>: gives back a slot taken by <c>limit.acquire</c> (nothing when it is not held). See docs/fleet.md.</summary>
public sealed class LimitReleaseActivity : BuiltInActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "limit.release",
        Description = "Gives back a slot of a counted limit taken by limit.acquire (nothing when it is not held).",
        InputRecord = typeof(With),
        Outputs = [new("released", "boolean", "Whether a slot was held and is given back now.")],
    };

    protected override async ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var with = context.Bind<With>();
        var key = with.Key;
        var holder = with.Holder is { Length: > 0 } h ? h : context.InstanceId;
        var store = context.Limits ?? throw new ActivityInputException("this engine's store has no counted limits");
        var released = await store.ReleaseLimitAsync(key, context.InstanceId, holder, cancellationToken).ConfigureAwait(false);
        if (released) context.Journal("LimitReleased", $"limit {key}: slot of {holder} given back", new JsonObject { ["key"] = key, ["holder"] = holder });
        return ActivityOutcome.Complete(new JsonObject { ["released"] = released });
    }

    /// <summary>limit.release's inputs.</summary>
    private sealed record With(
        [property: Input("The limit's name.", Required = true)] string Key,
        [property: Input("The holder limit.acquire named (default: the instance itself).")] string? Holder);
}
