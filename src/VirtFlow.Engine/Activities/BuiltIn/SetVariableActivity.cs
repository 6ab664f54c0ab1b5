using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary><c>setVariable</c>: sets <c>vars.NAME</c>.</summary>
public sealed class SetVariableActivity : BuiltInActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "setVariable",
        Pure = true, // its effects (variables, bookmarks, commands, journal) go through the context, committed with the outcome
        Description = "Sets a workflow variable (vars.NAME).",
        InputRecord = typeof(With),
        Outputs = [new("value", "any", "The value set.")],
    };

    protected override ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var with = context.Bind<With>();
        var value = with.Value;
        context.SetVariable(with.Name, value);
        return ValueTask.FromResult(ActivityOutcome.Complete(new JsonObject { ["value"] = value?.DeepClone() }));
    }

    /// <summary>setVariable's inputs.</summary>
    private sealed record With(
        [property: Input("The variable's name.", Required = true)] string Name,
        [property: Input("Its new value (null removes it).")] JsonNode? Value);
}
