using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Support;

/// <summary>Reading the evaluated inputs of a VM activity, with errors that name the input.</summary>
internal static class VmInputs
{
    public static string? OptionalString(this ActivityContext context, string name) => StringOf(context.Inputs[name], name);

    public static string RequiredString(this ActivityContext context, string name) =>
        context.OptionalString(name) is { Length: > 0 } s ? s : throw new VmInputException($"input '{name}' is required");

    /// <summary>The host id: the <c>host</c> input, <c>local</c> when not given.</summary>
    public static string HostId(this ActivityContext context) => context.OptionalString("host") is { Length: > 0 } h ? h : "local";

    public static string Choice(this ActivityContext context, string name, string fallback, IReadOnlyList<string> allowed)
    {
        var value = context.OptionalString(name) ?? fallback;
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new VmInputException($"input '{name}' must be one of {string.Join(", ", allowed)}, not '{value}'");
    }

    public static TimeSpan Duration(this ActivityContext context, string name, TimeSpan fallback) =>
        DurationOf(context.Inputs[name], name) ?? fallback;

    public static TimeSpan? DurationOf(JsonNode? node, string name)
    {
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.TryGetValue(out string? text) && Engine.Definitions.Duration.TryParse(text, out var parsed)) return parsed;
            if (JsonNumber.TryGetDouble(v, out var seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds / 2)
                return TimeSpan.FromSeconds(seconds);
        }
        throw new VmInputException($"input '{name}' is not a duration: {node.ToJsonString()} ({Engine.Definitions.Duration.Hint})");
    }

    public static bool Boolean(this ActivityContext context, string name, bool fallback) => BooleanOf(context.Inputs[name], name) ?? fallback;

    public static bool? BooleanOf(JsonNode? node, string name) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out string? s) && bool.TryParse(s, out var parsed) => parsed,
        _ => throw new VmInputException($"input '{name}' must be true or false, not {node.ToJsonString()}"),
    };

    public static long Long(this ActivityContext context, string name, long fallback)
    {
        var node = context.Inputs[name];
        if (node is null) return fallback;
        if (node is JsonValue v)
        {
            if (JsonNumber.TryGetDouble(v, out var d) && d >= 0 && d == Math.Floor(d) && d < long.MaxValue) return (long)d;
            if (v.TryGetValue(out string? s) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        }
        throw new VmInputException($"input '{name}' must be a whole number of 0 or more, not {node.ToJsonString()}");
    }

    public static JsonArray? OptionalArray(this ActivityContext context, string name) => context.Inputs[name] switch
    {
        null => null,
        JsonArray a => a,
        var other => throw new VmInputException($"input '{name}' must be a list, not {other.ToJsonString()}"),
    };

    public static JsonObject? OptionalObject(this ActivityContext context, string name) => context.Inputs[name] switch
    {
        null => null,
        JsonObject o => o,
        var other => throw new VmInputException($"input '{name}' must be an object, not {other.ToJsonString()}"),
    };

    public static string? StringOf(JsonNode? node, string name) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => throw new VmInputException($"input '{name}' must be text, not {node.ToJsonString()}"),
    };

    /// <summary>A duration written the way workflow files write them (<c>2m</c>, <c>1h30m</c>).</summary>
    public static string Format(TimeSpan value) => value <= TimeSpan.Zero ? "0s" : Engine.Definitions.Duration.Format(value);
}
