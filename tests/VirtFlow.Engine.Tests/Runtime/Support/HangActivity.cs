using VirtFlow.Engine.Activities;

namespace VirtFlow.Engine.Tests.Runtime.Support;

/// <summary><c>test.hang</c>: waits on a key nobody publishes; records its abandonment (reason) in the probe.</summary>
public sealed class HangActivity(Probe probe) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "test.hang",
        Description = "test: waits forever",
        Inputs = [new("name", "string", "its name", Required: true)],
    };

    public ValueTask<ActivityOutcome> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ActivityOutcome.Suspend(new BookmarkRequest("never", "never:" + context.StepPath)));

    public ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("nobody publishes never:*");

    public ValueTask AbandonAsync(ActivityContext context, string reason, CancellationToken cancellationToken)
    {
        probe.Abandoned.Enqueue($"{context.Inputs["name"]!.GetValue<string>()}: {reason}");
        context.SendCommand("host-1", "Undo", new System.Text.Json.Nodes.JsonObject { ["step"] = context.StepPath });
        return ValueTask.CompletedTask;
    }
}
