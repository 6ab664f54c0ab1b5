using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Engine.Tests.Runtime.Support;

/// <summary>
/// <c>test.block</c>: sends <c>commands</c> commands to <c>host-1</c> (recording their ids), then, when
/// <c>block</c> is true in this engine, waits for the probe's gate forever: the engine "dies" in the middle.
/// </summary>
public sealed class BlockActivity(Probe probe, bool block) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "test.block",
        Description = "test: sends commands, then hangs (a crash mid-step)",
        Inputs = [new("commands", "integer", "how many commands", Default: 2)],
    };

    public async ValueTask<ActivityOutcome> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var ids = new JsonArray();
        for (var i = 0; i < JsonInt.Of(context.Inputs["commands"]); i++)
        {
            var id = context.SendCommand("host-1", "MirrorDisk", new JsonObject { ["disk"] = $"vd{(char)('a' + i)}" });
            probe.CommandIds.Enqueue(id);
            ids.Add(id);
        }
        probe.Enter(context.StepPath, "block");
        probe.Exit("block");
        if (block)
        {
            probe.Blocked.TrySetResult();
            await probe.Gate.Task.WaitAsync(cancellationToken);
        }
        return ActivityOutcome.Complete(new JsonObject { ["commandIds"] = ids });
    }

    public ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("test.block never suspends");
}
