using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime.Support;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary>Reading evaluated inputs in the built-in activities, with errors that name the input.</summary>
internal static class ActivityInputs
{
    public static string? OptionalString(this ActivityContext context, string name) => context.Inputs[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        var other => other.ToJsonString(),
    };

    public static string RequiredString(this ActivityContext context, string name) =>
        context.OptionalString(name) is { Length: > 0 } s
            ? s
            : throw new ActivityInputException($"input '{name}' is required");

    public static bool Boolean(this ActivityContext context, string name, bool fallback = false) => context.Inputs[name] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out string? s) && bool.TryParse(s, out var parsed) => parsed,
        var other => throw new ActivityInputException($"input '{name}' must be true or false, not {other.ToJsonString()}"),
    };

    public static TimeSpan? OptionalDuration(this ActivityContext context, string name)
    {
        var node = context.Inputs[name];
        if (node is null) return null;
        return Durations.TryParse(node, out var d)
            ? d
            : throw new ActivityInputException($"input '{name}' is not a duration: {node.ToJsonString()} ({Definitions.Duration.Hint})");
    }

    public static DateTimeOffset? OptionalTimestamp(this ActivityContext context, string name)
    {
        var text = context.OptionalString(name);
        if (text is null) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new ActivityInputException($"input '{name}' is not a timestamp: '{text}' (write ISO 8601, e.g. 2026-01-31T22:00:00Z)");
    }

    public static JsonObject OptionalObject(this ActivityContext context, string name) => context.Inputs[name] switch
    {
        null => new JsonObject(),
        JsonObject o => (JsonObject)o.DeepClone(),
        var other => throw new ActivityInputException($"input '{name}' must be an object, not {other.ToJsonString()}"),
    };

    public static bool IsNumber(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number;
}
