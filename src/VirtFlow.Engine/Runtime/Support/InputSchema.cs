using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Expressions;

namespace VirtFlow.Engine.Runtime.Support;

/// <summary>
/// Checks the items of an input against the schema its definition declares under <c>items:</c> (<c>type</c>,
/// <c>properties</c>, <c>required</c>, <c>enum</c>, nested <c>items</c>): a property the schema does not declare is refused
/// (unless it says <c>additionalProperties: true</c>). Whatever the schema, a property named <c>reuse</c> is refused
/// wherever the schema does not declare it: it makes the worker mirror over an existing file, so only a workflow that
/// asks for it by name may take it from its caller.
/// </summary>
internal static class InputSchema
{
    /// <summary>The property only a declaring schema lets in.</summary>
    internal const string Reuse = "reuse";

    /// <summary>Past this depth values are not looked into (the inputs' size limit bounds them anyway).</summary>
    private const int MaxDepth = 256;

    /// <summary>Adds a problem to <paramref name="errors"/> for each item or property of <paramref name="value"/> the schema refuses.</summary>
    public static void Check(string input, JsonObject? items, JsonNode value, List<InputError> errors)
    {
        if (items is not null && value is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
                CheckValue(input, $"{input}[{i}]", items, array[i], errors, 1);
        }
        else
            CheckValue(input, input, null, value, errors, 0);
    }

    private static void CheckValue(string input, string where, JsonObject? schema, JsonNode? value, List<InputError> errors, int depth)
    {
        if (depth > MaxDepth || value is null)
            return;
        if (schema is not null && TypeProblem(schema, value) is { } problem)
        {
            errors.Add(new InputError(input, $"input {where} {problem}"));
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                CheckObject(input, where, schema, obj, errors, depth);
                break;
            case JsonArray array:
                var itemSchema = schema?["items"] as JsonObject;
                for (var i = 0; i < array.Count; i++)
                    CheckValue(input, $"{where}[{i}]", itemSchema, array[i], errors, depth + 1);
                break;
        }
    }

    private static void CheckObject(string input, string where, JsonObject? schema, JsonObject obj, List<InputError> errors, int depth)
    {
        var properties = schema?["properties"] as JsonObject;
        var open = properties is null || schema!["additionalProperties"] is JsonValue v && v.TryGetValue(out bool more) && more;
        if (schema?["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r is JsonValue rv && rv.TryGetValue(out string? s) ? s : null).OfType<string>())
            {
                if (obj[name] is null)
                    errors.Add(new InputError(input, $"input {where}: property '{name}' is required"));
            }
        }

        foreach (var (name, member) in obj)
        {
            var declared = properties?[name] as JsonObject;
            if (declared is null && (!open || name == Reuse))
            {
                var known = properties is null || properties.Count == 0 ? "" : $" (declared: {string.Join(", ", properties.Select(p => p.Key))})";
                var why = name == Reuse && open ? $"; '{Reuse}' is accepted only where the workflow's input schema declares it" : "";
                errors.Add(new InputError(input, $"input {where}: unknown property '{name}'{known}{why}"));
                continue;
            }

            CheckValue(input, $"{where}.{name}", declared, member, errors, depth + 1);
        }
    }

    /// <summary>Why <paramref name="value"/> does not have the schema's <c>type</c> or is not one of its <c>enum</c>; null when it fits.</summary>
    private static string? TypeProblem(JsonObject schema, JsonNode value)
    {
        var kind = value.GetValueKind();
        var type = schema["type"] is JsonValue t && t.TryGetValue(out string? name) ? name : null;
        var fits = type switch
        {
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "number" => kind == JsonValueKind.Number,
            "integer" => JsonNumbers.IsInteger(value),
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
        if (!fits)
            return $"must be {(type is "object" or "array" or "integer" ? "an" : "a")} {type}, not {JsonSummary.Of(value, 60)}";
        if (schema["enum"] is JsonArray allowed && kind == JsonValueKind.String
            && !allowed.Any(a => a is JsonValue av && av.TryGetValue(out string? s) && s == value.GetValue<string>()))
            return $"must be one of {string.Join(", ", allowed.Select(a => a?.ToString()))}, not '{value.GetValue<string>()}'";
        return null;
    }
}
