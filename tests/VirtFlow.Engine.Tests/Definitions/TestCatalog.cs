using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Engine.Tests.Definitions;

/// <summary>A catalog like the runtime's built-ins, plus two VM activities, for validator and schema tests.</summary>
internal sealed class TestCatalog : IActivityCatalog
{
    public static TestCatalog Instance { get; } = new();

    private readonly Dictionary<string, ActivityDescriptor> _all = new[]
    {
        new ActivityDescriptor
        {
            Type = "log",
            Description = "Writes a message.",
            Inputs =
            [
                new("message", "any", "What to write.", Required: true),
                new("level", "string", "How important it is.", Default: "information", Enum: ["trace", "debug", "information", "warning", "error"]),
            ],
            Outputs = [new("message", "string", "The message as written.")],
        },
        new ActivityDescriptor
        {
            Type = "script",
            Description = "Runs JavaScript.",
            Inputs = [new("code", "string", "The statements to run.", Required: true)],
            Outputs = [new("result", "any", "The result.")],
        },
        new ActivityDescriptor
        {
            Type = "delay",
            Description = "Waits.",
            Inputs = [new("duration", "duration", "How long."), new("until", "string", "Until when.")],
        },
        new ActivityDescriptor
        {
            Type = "waitEvent",
            Description = "Waits for an event.",
            Inputs =
            [
                new("event", "string", "The event's name.", Required: true),
                new("correlation", "string", "What tells this wait's event from others."),
                new("timeout", "duration", "How long to wait at most."),
                new("onTimeout", "string", "fault or continue.", Default: "fault", Enum: ["fault", "continue"]),
            ],
            Outputs = [new("payload", "any", "The payload."), new("timedOut", "boolean", "Timed out.")],
        },
        new ActivityDescriptor
        {
            Type = "setVariable",
            Description = "Sets a variable.",
            Inputs = [new("name", "string", "The name.", Required: true), new("value", "any", "The value.")],
        },
        new ActivityDescriptor
        {
            Type = "fail",
            Description = "Faults.",
            Inputs = [new("message", "string", "Why.", Required: true), new("code", "string", "A reason.", Default: "Fail")],
        },
        new ActivityDescriptor
        {
            Type = "vm.mirror",
            Description = "Mirrors disks.",
            Category = "vm",
            Inputs =
            [
                new("vm", "string", "The VM.", Required: true),
                new("disks", "array", "The disks.", Required: true, ItemSchema: new JsonObject { ["type"] = "string" }),
                new("mode", "string", "Sync mode.", Default: "full", Enum: ["full", "top", "none"]),
                new("speed", "integer", "Bytes per second."),
                new("timeout", "duration", "How long."),
            ],
            Outputs = [new("jobs", "array", "The job ids.")],
        },
        new ActivityDescriptor
        {
            Type = "qmp.execute",
            Description = "Any QMP command.",
            Category = "vm",
            Inputs = [new("command", "string", "The command.", Required: true)],
            AllowsExtraInputs = true,
        },
    }.ToDictionary(d => d.Type, StringComparer.Ordinal);

    public ActivityDescriptor? Find(string type) => _all.GetValueOrDefault(type);

    public IEnumerable<ActivityDescriptor> All => _all.Values;
}
