using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VirtFlow.Engine.Definitions.Triggers;

/// <summary>
/// The fields of a <c>message</c> trigger, read from <see cref="TriggerDefinition.Settings"/>:
/// <c>messageType</c> (the server consumes <c>virtflow.msg.{messageType}</c>), <c>inputs</c> (input name → value or
/// <c>${ }</c> template over <c>message</c>; without it the message's fields are the inputs), <c>correlationId</c>
/// (a template over <c>message</c>; default the AMQP <c>correlation_id</c>) and <c>dedupeWindow</c> (how long a message id,
/// or the body's hash, is remembered; default <see cref="DefaultDedupeWindow"/>).
/// </summary>
public sealed partial record MessageTriggerSettings
{
    /// <summary>How long a message id (or body hash) is remembered when the trigger names no <c>dedupeWindow</c>.</summary>
    public static readonly TimeSpan DefaultDedupeWindow = TimeSpan.FromMinutes(10);

    /// <summary>The longest <c>dedupeWindow</c> a trigger may ask for.</summary>
    public static readonly TimeSpan MaxDedupeWindow = TimeSpan.FromDays(7);

    /// <summary>The message type: letters, digits and '-', starting with a letter, at most 100 characters.</summary>
    public required string MessageType { get; init; }

    /// <summary>Input name → value or template over <c>message</c>; null: the message's fields are the inputs.</summary>
    public JsonObject? Inputs { get; init; }

    /// <summary>A template over <c>message</c> for the instance's correlation id; null: the AMQP <c>correlation_id</c>.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>How long a message id or body hash is remembered.</summary>
    public TimeSpan DedupeWindow { get; init; } = DefaultDedupeWindow;

    /// <summary>What a message type may be: it becomes an exchange and queue name, so no '.', '_' or spaces.</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,99}$")]
    public static partial Regex MessageTypePattern();

    /// <summary>The settings of <paramref name="trigger"/> (a checked definition's), or null when it is no message trigger.</summary>
    public static MessageTriggerSettings? Of(TriggerDefinition trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (trigger.Type != "message" || trigger.Settings["messageType"] is not JsonValue type || !type.TryGetValue<string>(out var name))
            return null;
        var window = trigger.Settings["dedupeWindow"] is JsonValue w && w.TryGetValue<string>(out var text) && Duration.TryParse(text, out var parsed)
            ? parsed
            : DefaultDedupeWindow;
        return new MessageTriggerSettings
        {
            MessageType = name,
            Inputs = trigger.Settings["inputs"] as JsonObject,
            CorrelationId = trigger.Settings["correlationId"] is JsonValue c && c.TryGetValue<string>(out var cid) ? cid : null,
            DedupeWindow = window,
        };
    }

    /// <summary>Why <paramref name="messageType"/> cannot name a message type, or null.</summary>
    public static string? Problem(string messageType) => MessageTypePattern().IsMatch(messageType)
        ? null
        : $"invalid messageType '{messageType}': use letters, digits and '-', starting with a letter, at most 100 characters (it names the exchange and queue virtflow.msg.{{messageType}})";

    /// <summary>Why <paramref name="window"/> cannot be a dedupe window, or null.</summary>
    public static string? WindowProblem(string window)
    {
        if (!Duration.TryParse(window, out var value)) return $"invalid duration '{window}' for 'dedupeWindow': {Duration.Hint}";
        if (value < TimeSpan.Zero || value > MaxDedupeWindow) return $"'dedupeWindow' {window} is out of range (0s to 7d)";
        return null;
    }
}
