using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Engine.Tests.Runtime.Support;

/// <summary>
/// <c>test.waitAll</c>: like waiting for every disk's READY: one bookmark per key; each resume removes the
/// key hit and suspends again on the rest, until none is left.
/// </summary>
public sealed class WaitAllActivity(Probe probe) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "test.waitAll",
        Description = "test: waits for an event on every key",
        Inputs = [new("keys", "array", "the keys", Required: true)],
    };

    public ValueTask<ActivityOutcome> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        context.State["remaining"] = context.Inputs["keys"]!.DeepClone();
        context.State["received"] = new JsonArray();
        return ValueTask.FromResult(Wait(context));
    }

    public ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken)
    {
        probe.Enter("waitAll.resume", "waitAll");
        probe.Exit("waitAll");
        var remaining = (JsonArray)context.State["remaining"]!;
        var hit = remaining.FirstOrDefault(k => k!.GetValue<string>() == stimulus.Key);
        if (hit is not null)
        {
            remaining.Remove(hit);
            ((JsonArray)context.State["received"]!).Add(stimulus.Payload?.DeepClone());
        }
        if (remaining.Count > 0) return ValueTask.FromResult(Wait(context));
        return ValueTask.FromResult(ActivityOutcome.Complete(new JsonObject { ["received"] = context.State["received"]!.DeepClone() }));
    }

    private static ActivityOutcome Wait(ActivityContext context) =>
        ActivityOutcome.Suspend(((JsonArray)context.State["remaining"]!)
            .Select(k => new BookmarkRequest("ready:" + k!.GetValue<string>(), k.GetValue<string>()))
            .ToList());
}
