using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Expressions;

namespace VirtFlow.Engine.Definitions.Validation;

/// <summary>Activity steps against their descriptors: known type, required, unknown and literal inputs.</summary>
internal sealed partial class DefinitionChecker
{
    private void CheckActivity(ActivityStep step, ImmutableHashSet<string> locals)
    {
        var descriptor = _catalog.Find(step.Type);
        if (descriptor is null)
        {
            var known = _catalog.All.Select(d => d.Type).Concat(StepTypes.All).ToList();
            var hint = Suggestions.DidYouMean(step.Type, known);
            if (hint.Length == 0)
                hint = $" (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})";
            Error(step, "type", $"step '{step.Id}': unknown activity type '{step.Type}'{hint}");
            CheckTemplateNode(step.With, step, "with", locals);
            return;
        }

        foreach (var input in descriptor.Inputs)
        {
            var given = step.With.TryGetPropertyValue(input.Name, out var value);
            if (input.Required && input.Default is null && (!given || value is null))
                Error(step, given ? $"with/{input.Name}" : "type", $"step '{step.Id}': activity '{step.Type}' needs input '{input.Name}' ({input.Description.TrimEnd('.')})");
        }

        foreach (var (name, value) in step.With)
        {
            var path = $"with/{Parsing.WorkflowReader.EscapePointer(name)}";
            var input = descriptor.Inputs.FirstOrDefault(i => i.Name == name);
            if (input is null)
            {
                if (!descriptor.AllowsExtraInputs)
                {
                    var names = descriptor.Inputs.Select(i => i.Name).ToList();
                    var hint = Suggestions.DidYouMean(name, names);
                    _diagnostics.Add(new Diagnostic(
                        _map.FindKey(step, path) ?? Where(step, path),
                        $"step '{step.Id}': activity '{step.Type}' has no input '{name}'{hint} (inputs: {(names.Count == 0 ? "none" : string.Join(", ", names))})"));
                }

                CheckTemplateNode(value, step, path, locals);
                continue;
            }

            if (IsScript(descriptor, input) && value is JsonValue v && v.TryGetValue<string>(out var code) && !ExpressionTemplate.MayContainExpression(code))
                CheckCode(code, 0, isScript: true, step, path, locals);
            else
                CheckTemplateNode(value, step, path, locals);
            CheckLiteral(step, path, input, value);
        }
    }

    /// <summary>Inputs holding JavaScript statements: type <c>script</c>, or the built-in <c>script</c> activity's <c>code</c>.</summary>
    private static bool IsScript(ActivityDescriptor descriptor, ActivityInput input) =>
        input.Type == "script" || (descriptor.Type == "script" && input.Name == "code");

    /// <summary>A literal value (not a template) must fit the input's type and enum.</summary>
    private void CheckLiteral(ActivityStep step, string path, ActivityInput input, JsonNode? value)
    {
        if (value is null)
            return;
        var text = value is JsonValue tv && tv.GetValueKind() == JsonValueKind.String ? tv.GetValue<string>() : null;
        if (text is not null && ExpressionTemplate.MayContainExpression(text))
        {
            var template = ExpressionTemplate.TryParse(text, out var t, out _) ? t : null;
            if (template is { IsSingleExpression: false, HasExpressions: true } && input.Type is "number" or "integer" or "boolean" or "array" or "object")
                Warning(step, path, $"step '{step.Id}': input '{input.Name}' of '{step.Type}' is a {input.Type}, but text around '${{ }}' always makes a string");
            return;
        }

        var fits = input.Type switch
        {
            "string" or "script" => text is not null,
            "number" => JsonNumbers.TryGetDouble(value, out _),
            "integer" => JsonNumbers.IsInteger(value),
            "boolean" => value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
            "array" => value is JsonArray,
            "object" => value is JsonObject,
            "duration" => (text is not null && Duration.TryParse(text, out _)) || JsonNumbers.TryGetDouble(value, out _),
            _ => true,
        };
        if (!fits)
        {
            var extra = input.Type == "duration" ? $" ({Duration.Hint})" : "";
            Error(step, path, $"step '{step.Id}': input '{input.Name}' of '{step.Type}' must be {Article(input.Type)} {input.Type}{extra}, not {Describe(value)}");
            return;
        }

        if (input.Enum is { Count: > 0 } allowed && text is not null && !allowed.Contains(text, StringComparer.Ordinal))
            Error(step, path, $"step '{step.Id}': '{text}' is not a valid '{input.Name}' for '{step.Type}'{Suggestions.DidYouMean(text, allowed)} (one of: {string.Join(", ", allowed)})");
    }

    private static string Article(string type) => type is "array" or "object" or "integer" ? "an" : "a";

    private static string Describe(JsonNode value) => value switch
    {
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"the text '{v.GetValue<string>()}'",
        _ => value.ToJsonString(),
    };
}
