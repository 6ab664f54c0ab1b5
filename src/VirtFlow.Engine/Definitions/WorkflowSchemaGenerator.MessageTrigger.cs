using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions.Triggers;

namespace VirtFlow.Engine.Definitions;

public static partial class WorkflowSchemaGenerator
{
    /// <summary>The fields of a <c>message</c> trigger (<see cref="MessageTriggerSettings"/>).</summary>
    private static JsonObject MessageTriggerFields() => new()
    {
        ["messageType"] = new JsonObject
        {
            ["type"] = "string",
            ["pattern"] = MessageTriggerSettings.MessageTypePattern().ToString(),
            ["description"] = "The message that starts the workflow: the server consumes the queue virtflow.msg.{messageType}, bound to the exchange of that name.",
        },
        ["correlationId"] = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "The instance's correlation id: a template over message (e.g. ${ message.ticket }); default the AMQP correlation_id.",
        },
        ["dedupeWindow"] = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "How long a message id (AMQP message_id, else the SHA-256 of the body) is remembered: the same one again within it starts nothing. Default 10m, at most 7d.",
        },
    };
}
