using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary><c>log</c>: writes a message to the engine's log and to the instance's journal.</summary>
public sealed class LogActivity : BuiltInActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "log",
        Pure = true, // its effects (variables, bookmarks, commands, journal) go through the context, committed with the outcome
        Description = "Writes a message to the log and to the instance's journal.",
        InputRecord = typeof(With),
        Outputs = [new("message", "string", "The message as written.")],
    };

    protected override ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var with = context.Bind<With>();
        var message = with.Message is JsonValue v && v.TryGetValue(out string? text) ? text : with.Message.ToJsonString();
        var levelText = with.Level;
        var level = levelText switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "warning" or "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.Information,
        };
        BuiltInLog.WorkflowLog(context.Logger, level, context.WorkflowName, context.InstanceId, context.StepPath, message);
        context.Journal("Log", message, new JsonObject { ["level"] = levelText });
        return ValueTask.FromResult(ActivityOutcome.Complete(new JsonObject { ["message"] = message }));
    }

    /// <summary>log's inputs.</summary>
    private sealed record With(
        [property: Input("What to write: a string, or any value (written as JSON).", Required = true)] JsonNode Message,
        [property: Input("How important it is.", Default = "information", Enum = ["trace", "debug", "information", "warning", "error"], Aliases = ["info", "warn"])] string Level);
}
