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
        context.SetVariable(with.Name, value); // keeps a copy
        // the bound value is this call's own copy of the input (the binder copies JSON values): the outputs take it
        return ValueTask.FromResult(ActivityOutcome.Complete(new JsonObject { ["value"] = value }));
    }

    /// <summary>setVariable's inputs.</summary>
    private sealed record With(
        [property: Input("The variable's name.", Required = true)] string Name,
        [property: Input("Its new value (null removes it).")] JsonNode? Value);
}
