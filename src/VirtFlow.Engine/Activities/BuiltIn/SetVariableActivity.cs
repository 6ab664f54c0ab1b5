using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary><c>setVariable</c>: sets <c>vars.NAME</c>.</summary>
public sealed class SetVariableActivity : BuiltInActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "setVariable",
        Pure = true, // its effects (variables, bookmarks, commands, journal) go through the context, committed with the outcome
        Description = "Sets a workflow variable (vars.NAME).",
        Inputs =
        [
            new("name", "string", "The variable's name.", Required: true),
            new("value", "any", "Its new value (null removes it)."),
        ],
        Outputs = [new("value", "any", "The value set.")],
    };

    protected override ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var name = context.RequiredString("name");
        var value = context.Inputs["value"]?.DeepClone();
        context.SetVariable(name, value);
        return ValueTask.FromResult(ActivityOutcome.Complete(new JsonObject { ["value"] = value?.DeepClone() }));
    }
}
