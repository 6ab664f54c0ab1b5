using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities.InputRecords;
using VirtFlow.Engine.Runtime.Execution;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary><c>script</c>: runs JavaScript statements in the step's scope; assignments to <c>vars.NAME</c> are kept.</summary>
public sealed class ScriptActivity : BuiltInActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "script",
        Description = "Runs JavaScript (sandboxed) in the step's scope: inputs, vars, steps, instance and loop variables. Assignments to vars.NAME are kept; the last expression (or return value) is the result.",
        InputRecord = typeof(With),
        Outputs = [new("result", "any", "The value of the last expression, or what the script returned.")],
    };

    protected override ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var code = context.Bind<With>().Code;
        if (context is not IScriptContext scripts)
            return ValueTask.FromResult(ActivityOutcome.Fault("script: this context cannot run scripts", "Unsupported"));
        var result = scripts.RunScript(code);
        return ValueTask.FromResult(ActivityOutcome.Complete(new JsonObject { ["result"] = result?.DeepClone() }));
    }

    /// <summary>script's inputs.</summary>
    private sealed record With([property: Input("The statements to run.", Required = true)] string Code);
}
