using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Engine.Tests.Runtime.Support;

/// <summary>
/// <c>test.probe</c>: counts its executions by <c>name</c>, tracks how many of a <c>group</c> run at once
/// (holding for <c>delayMs</c> real milliseconds), and faults the first <c>failTimes</c> attempts.
/// </summary>
public sealed class ProbeActivity(Probe probe) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "test.probe",
        Description = "test: counts executions",
        Inputs =
        [
            new("name", "string", "what to count", Required: true),
            new("group", "string", "concurrency group", Default: "all"),
            new("delayMs", "integer", "how long to hold", Default: 0),
            new("failTimes", "integer", "attempts that fail", Default: 0),
            new("value", "any", "echoed as outputs.value"),
            new("progress", "boolean", "report progress", Default: false),
        ],
    };

    public async ValueTask<ActivityOutcome> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var name = context.Inputs["name"]!.GetValue<string>();
        var group = context.Inputs["group"]!.GetValue<string>();
        var count = probe.Enter(name, group);
        if (context.Inputs["progress"]!.GetValue<bool>()) context.ReportProgress(new JsonObject { ["step"] = name, ["percent"] = 50 });
        try
        {
            var delay = JsonInt.Of(context.Inputs["delayMs"]);
            if (delay > 0) await Task.Delay(delay, cancellationToken);
        }
        finally
        {
            probe.Exit(group);
        }
        if (context.Attempt <= JsonInt.Of(context.Inputs["failTimes"]))
            return ActivityOutcome.Fault($"{name} failed on attempt {context.Attempt}", "ProbeFailure");
        return ActivityOutcome.Complete(new JsonObject
        {
            ["name"] = name,
            ["count"] = count,
            ["attempt"] = context.Attempt,
            ["value"] = context.Inputs["value"]?.DeepClone(),
        });
    }

    public ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("test.probe never suspends");
}
