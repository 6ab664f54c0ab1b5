using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Cli;

/// <summary>The activities the CLI validates workflows against.</summary>
public static class CliCatalog
{
    /// <summary>
    /// The built-in activities' descriptors (a copy of the runtime's, for now).
    /// TODO: return the runtime's catalog, <c>VirtFlow.Engine.Activities.ActivityRegistry.CreateDefault()</c>
    /// (the built-ins of <c>src/VirtFlow.Engine/Activities/BuiltIn/</c>, plus the VM activities when they exist),
    /// and regenerate <c>workflows/schema/workflow.schema.json</c> (<c>virtflow validate --write-schema</c>).
    /// </summary>
    public static IActivityCatalog Default { get; } = new DescriptorCatalog(
    [
        new ActivityDescriptor
        {
            Type = "log",
            Description = "Writes a message to the log and to the instance's journal.",
            Inputs =
            [
                new("message", "any", "What to write: a string, or any value (written as JSON).", Required: true),
                new("level", "string", "How important it is.", Default: "information", Enum: ["trace", "debug", "information", "warning", "error"]),
            ],
            Outputs = [new("message", "string", "The message as written.")],
        },
        new ActivityDescriptor
        {
            Type = "script",
            Description = "Runs JavaScript (sandboxed) in the step's scope. Assignments to vars.NAME are kept; the last expression (or return value) is the result.",
            Inputs = [new("code", "string", "The statements to run.", Required: true)],
            Outputs = [new("result", "any", "The value of the last expression, or what the script returned.")],
        },
        new ActivityDescriptor
        {
            Type = "setVariable",
            Description = "Sets a workflow variable (vars.NAME).",
            Inputs = [new("name", "string", "The variable's name.", Required: true), new("value", "any", "Its new value (null removes it).")],
            Outputs = [new("value", "any", "The value set.")],
        },
        new ActivityDescriptor
        {
            Type = "fail",
            Description = "Faults the step (and, unless caught, the workflow) with a message.",
            Inputs = [new("message", "string", "Why.", Required: true), new("code", "string", "A machine-readable reason.", Default: "Fail")],
        },
        new ActivityDescriptor
        {
            Type = "delay",
            Description = "Waits for a duration, or until a point in time (a durable timer).",
            Inputs =
            [
                new("duration", "duration", "How long to wait (30s, 5m, PT1H). Either this or until."),
                new("until", "string", "When to go on (ISO 8601 timestamp). Either this or duration."),
            ],
            Outputs = [new("until", "string", "When the wait ended (ISO 8601).")],
        },
        new ActivityDescriptor
        {
            Type = "waitEvent",
            Description = "Waits for an event (key event:NAME:CORRELATION). An event that came before the wait counts.",
            Inputs =
            [
                new("event", "string", "The event's name, e.g. approval.", Required: true),
                new("correlation", "string", "What tells this wait's event from others, e.g. an order id."),
                new("timeout", "duration", "How long to wait at most."),
                new("onTimeout", "string", "fault: the step faults; continue: it completes with timedOut = true.", Default: "fault", Enum: ["fault", "continue"]),
            ],
            Outputs =
            [
                new("payload", "any", "The event's payload (null after a timeout)."),
                new("timedOut", "boolean", "True when the timeout passed first."),
                new("eventId", "string", "The event's id."),
            ],
        },
        new ActivityDescriptor
        {
            Type = "http",
            Description = "Sends an HTTP request; completes with the status, headers and body (JSON bodies parsed).",
            Category = "http",
            Inputs =
            [
                new("method", "string", "The HTTP method.", Default: "GET"),
                new("url", "string", "The absolute URL.", Required: true),
                new("headers", "object", "Request headers: name → value."),
                new("body", "any", "The request body: a string is sent as text, anything else as JSON."),
                new("timeout", "duration", "How long the request may take.", Default: "100s"),
                new("expectStatus", "any", "The status (or array of statuses) that counts as success; by default any 2xx."),
            ],
            Outputs =
            [
                new("status", "integer", "The response status code."),
                new("headers", "object", "Response headers: name → value."),
                new("body", "any", "The response body: parsed JSON when it is JSON, else text."),
            ],
        },
        new ActivityDescriptor
        {
            Type = "call",
            Description = "Runs another workflow as a child instance and waits for it; completes with the child's outputs.",
            Inputs =
            [
                new("workflow", "string", "The child workflow's name.", Required: true),
                new("inputs", "object", "The child's inputs.", Default: new JsonObject()),
                new("correlationId", "string", "The child's correlation id."),
            ],
            Outputs = [new("*", "any", "The child workflow's outputs, as its definition names them.")],
        },
        new ActivityDescriptor
        {
            Type = "message.send",
            Description = "Sends a command to a destination through the outbox; optionally waits for its reply.",
            Category = "messaging",
            Inputs =
            [
                new("destination", "string", "Where to: a host id or a queue name.", Required: true),
                new("messageType", "string", "The command's type.", Required: true),
                new("payload", "object", "The command's body.", Default: new JsonObject()),
                new("waitForReply", "boolean", "Wait for the reply before completing.", Default: false),
                new("replyTimeout", "duration", "How long to wait for the reply at most."),
            ],
            Outputs =
            [
                new("commandId", "string", "The command's id (deterministic: the same after a replay)."),
                new("reply", "any", "The reply's payload (when waiting)."),
            ],
        },
    ]);

    /// <summary>A fixed list of descriptors.</summary>
    private sealed class DescriptorCatalog(IReadOnlyList<ActivityDescriptor> descriptors) : IActivityCatalog
    {
        private readonly Dictionary<string, ActivityDescriptor> _byType = descriptors.ToDictionary(d => d.Type, StringComparer.Ordinal);

        public ActivityDescriptor? Find(string type) => _byType.GetValueOrDefault(type);

        public IEnumerable<ActivityDescriptor> All => descriptors;
    }
}
