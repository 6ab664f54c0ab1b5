namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary><c>fail</c>: faults the step with a message and a code.</summary>
public sealed class FailActivity : BuiltInActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "fail",
        Pure = true, // its effects (variables, bookmarks, commands, journal) go through the context, committed with the outcome
        Description = "Faults the step (and, unless caught, the workflow) with a message.",
        Inputs =
        [
            new("message", "string", "Why.", Required: true),
            new("code", "string", "A machine-readable reason.", Default: "Fail"),
        ],
    };

    protected override ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ActivityOutcome.Fault(context.RequiredString("message"), context.OptionalString("code") ?? "Fail"));
}
