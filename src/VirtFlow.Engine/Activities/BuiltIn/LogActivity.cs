using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary><c>log</c>: writes a message to the engine's log and to the instance's journal.</summary>
public sealed class LogActivity : BuiltInActivity
{
    private static readonly string[] Levels = ["trace", "debug", "information", "warning", "error"];

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "log",
        Pure = true, // its effects (variables, bookmarks, commands, journal) go through the context, committed with the outcome
        Description = "Writes a message to the log and to the instance's journal.",
        Inputs =
        [
            new("message", "any", "What to write: a string, or any value (written as JSON).", Required: true),
            new("level", "string", "How important it is.", Default: "information", Enum: Levels),
        ],
        Outputs = [new("message", "string", "The message as written.")],
    };

    protected override ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var message = context.OptionalString("message") ?? "";
        var levelText = context.OptionalString("level") ?? "information";
        var level = levelText.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "information" or "info" => LogLevel.Information,
            "warning" or "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => throw new ActivityInputException($"input 'level' must be one of {string.Join(", ", Levels)}, not '{levelText}'"),
        };
        BuiltInLog.WorkflowLog(context.Logger, level, context.WorkflowName, context.InstanceId, context.StepPath, message);
        context.Journal("Log", message, new JsonObject { ["level"] = levelText });
        return ValueTask.FromResult(ActivityOutcome.Complete(new JsonObject { ["message"] = message }));
    }
}
