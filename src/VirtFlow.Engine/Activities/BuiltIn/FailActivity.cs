using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary><c>fail</c>: faults the step with a message and a code.</summary>
public sealed class FailActivity : BuiltInActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "fail",
        Pure = true, // its effects (variables, bookmarks, commands, journal) go through the context, committed with the outcome
        Description = "Faults the step (and, unless caught, the workflow) with a message.",
        InputRecord = typeof(With),
    };

    protected override ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var with = context.Bind<With>();
        return ValueTask.FromResult(ActivityOutcome.Fault(with.Message, with.Code));
    }

    /// <summary>fail's inputs.</summary>
    private sealed record With(
        [property: Input("Why.", Required = true)] string Message,
        [property: Input("A machine-readable reason.", Default = "Fail")] string Code);
}
