using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Runtime.Support;

/// <summary>
/// Checks a workflow's inputs against its declared inputs: unknown names, missing required ones, types and
/// allowed values; fills in defaults. Strings are accepted for numbers, integers and booleans when they
/// parse (what a command line or a message header gives).
/// </summary>
internal static class InputValidator
{
    public static JsonObject Validate(WorkflowDefinition definition, JsonObject given, long maxInputBytes)
    {
        CheckSize(definition, given, maxInputBytes);
        var errors = new List<InputError>();
        var declared = definition.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in given)
        {
            if (declared.Contains(name)) continue;
            var known = declared.Count == 0 ? "the workflow declares no inputs" : "declared: " + string.Join(", ", declared);
            errors.Add(new InputError(name, $"unknown input '{name}' ({known})"));
        }

        var result = new JsonObject();
        foreach (var input in definition.Inputs)
        {
            var value = given[input.Name];
            if (value is null)
            {
                if (input.Default is not null) result[input.Name] = input.Default.DeepClone();
                else if (input.Required) errors.Add(new InputError(input.Name, $"input '{input.Name}' is required ({TypeName(input.Type)})"));
                continue;
            }
            var (coerced, problem) = Check(input, value);
            if (problem is not null) errors.Add(new InputError(input.Name, $"input '{input.Name}' {problem}"));
            else
            {
                InputSchema.Check(input.Name, input.Items, value, errors);
                result[input.Name] = coerced;
            }
        }
        if (errors.Count > 0) throw new WorkflowInputException(definition.Name, errors);
        return result;
    }

    /// <summary>Refuses inputs larger than <paramref name="max"/> bytes of JSON, naming the largest, before anything else looks at them.</summary>
    private static void CheckSize(WorkflowDefinition definition, JsonObject given, long max)
    {
        var total = InputSize.Of(given, max);
        if (total <= max) return;
        var (name, size) = given.Select(p => (p.Key, Size: InputSize.Of(p.Value, long.MaxValue))).MaxBy(p => p.Size);
        throw new WorkflowInputException(definition.Name, [new InputError(name,
            $"the inputs take more than {max:N0} bytes as JSON (limit MaxInputBytes); the largest is '{name}' ({size:N0} bytes)")]);
    }

    private static (JsonNode? Value, string? Problem) Check(InputDefinition input, JsonNode value)
    {
        var kind = value.GetValueKind();
        var text = value is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        var shown = Support.JsonSummary.Of(value, 60);
        switch (input.Type)
        {
            case InputType.String:
                if (text is null) return (null, $"must be a string, not {shown}");
                if (input.Enum is { Count: > 0 } allowed && !allowed.Contains(text, StringComparer.Ordinal))
                    return (null, $"must be one of {string.Join(", ", allowed)}, not '{text}'");
                return (value.DeepClone(), null);
            case InputType.Number:
                if (kind == JsonValueKind.Number) return (value.DeepClone(), null);
                if (text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return (d, null);
                return (null, $"must be a number, not {shown}");
            case InputType.Integer:
                var n = kind == JsonValueKind.Number ? double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture)
                    : text is not null && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : double.NaN;
                if (double.IsFinite(n) && Math.Floor(n) == n && Math.Abs(n) <= 9_007_199_254_740_991) return ((long)n, null);
                return (null, $"must be an integer, not {shown}");
            case InputType.Boolean:
                if (kind is JsonValueKind.True or JsonValueKind.False) return (value.DeepClone(), null);
                if (text is not null && bool.TryParse(text, out var b)) return (b, null);
                return (null, $"must be true or false, not {shown}");
            case InputType.Duration:
                return Durations.TryParse(value, out _) ? (value.DeepClone(), null) : (null, $"must be a duration ({Duration.Hint}), not {shown}");
            case InputType.Array:
                return value is JsonArray ? (value.DeepClone(), null) : (null, $"must be an array, not {shown}");
            case InputType.Object:
                return value is JsonObject ? (value.DeepClone(), null) : (null, $"must be an object, not {shown}");
            default:
                return (value.DeepClone(), null);
        }
    }

    private static string TypeName(InputType type) => type.ToString().ToLowerInvariant();
}
