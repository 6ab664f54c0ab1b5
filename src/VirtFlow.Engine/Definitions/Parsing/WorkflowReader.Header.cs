using System.Text.Json.Nodes;
using VirtFlow.Engine.Expressions;
using YamlDotNet.RepresentationModel;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>The parts of a workflow around its steps: inputs, outputs, triggers, variables.</summary>
internal sealed partial class WorkflowReader
{
    private static readonly string[] InputFields = ["type", "default", "required", "description", "enum", "items"];

    private static readonly Dictionary<string, InputType> InputTypes = new(StringComparer.Ordinal)
    {
        ["string"] = InputType.String,
        ["number"] = InputType.Number,
        ["integer"] = InputType.Integer,
        ["boolean"] = InputType.Boolean,
        ["duration"] = InputType.Duration,
        ["array"] = InputType.Array,
        ["object"] = InputType.Object,
        ["any"] = InputType.Any,
    };

    private static readonly Dictionary<string, string[]> TriggerFields = new(StringComparer.Ordinal)
    {
        ["message"] = ["type", "messageType", "correlationId", "inputs", "dedupeWindow", "description"],
        ["schedule"] = ScheduleFields,
        ["manual"] = ["type", "inputs", "description"],
    };

    private List<InputDefinition> ReadInputs(YamlNode node)
    {
        var result = new List<InputDefinition>();
        if (AsMapping(node, "'inputs'") is not { } map)
            return result;
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name } key)
            {
                Error(keyNode, "an input name must be a plain name");
                continue;
            }

            if (!Patterns.Identifier().IsMatch(name))
                Error(key, $"invalid input name '{name}': use letters, digits and '_' (it is read as inputs.{name})");
            if (ReadInput(name, value) is { } input)
                result.Add(input);
        }

        return result;
    }

    private InputDefinition? ReadInput(string name, YamlNode node)
    {
        var what = $"input '{name}'";
        if (node is YamlScalarNode { Value: { } shorthand } s && !YamlValues.IsNull(s))
            return new InputDefinition { Name = name, Type = ReadInputType(shorthand, s, what), Location = Loc(node) };
        if (AsMapping(node, what) is not { } map)
            return new InputDefinition { Name = name, Location = Loc(node) };

        var f = Fields(map, what, InputFields);
        var type = f.TryGetValue("type", out var t) && ReadString(t.Value, $"the type of {what}") is { } typeName
            ? ReadInputType(typeName, t.Value, what)
            : InputType.Any;
        var input = new InputDefinition
        {
            Name = name,
            Type = type,
            Required = f.TryGetValue("required", out var r) && ReadBool(r.Value, $"'required' of {what}") == true,
            Description = f.TryGetValue("description", out var d) ? ReadString(d.Value, $"the description of {what}") : null,
            Enum = f.TryGetValue("enum", out var e) ? ReadEnum(e.Value, what, type) : null,
            Items = f.TryGetValue("items", out var items) ? ToJson(items.Value, null, $"inputs/{name}/items") as JsonObject : null,
            Location = Loc(node),
        };
        if (f.TryGetValue("items", out items) && items.Value is not YamlMappingNode)
            Error(items.Value, $"'items' of {what} must be a mapping describing each item (e.g. {{ type: string }})");
        if (f.TryGetValue("default", out var def) && !YamlValues.IsNull(def.Value))
        {
            var value = ToJson(def.Value, null, $"inputs/{name}/default");
            CheckDefault(def.Value, value, input);
            input = input with { Default = value };
            if (input.Required)
                Warning(def.Value, $"{what} is required and has a default: the default is never used");
        }

        return input;
    }

    private InputType ReadInputType(string typeName, YamlNode node, string what)
    {
        if (InputTypes.TryGetValue(typeName, out var type))
            return type;
        Error(node, $"unknown type '{typeName}' for {what}{Suggestions.DidYouMean(typeName, InputTypes.Keys)} (types: {string.Join(", ", InputTypes.Keys)})");
        return InputType.Any;
    }

    private List<string>? ReadEnum(YamlNode node, string what, InputType type)
    {
        if (AsSequence(node, $"'enum' of {what}") is not { } seq)
            return null;
        if (type is not (InputType.String or InputType.Any))
            Error(node, $"'enum' of {what} lists text values: it needs type string, not {type.ToString().ToLowerInvariant()}");
        var values = new List<string>();
        foreach (var item in seq.Children)
        {
            if (item is YamlScalarNode s && !YamlValues.IsNull(s))
                values.Add(s.Value ?? "");
            else
                Error(item, $"each value of 'enum' of {what} must be text");
        }

        return values;
    }

    private void CheckDefault(YamlNode node, JsonNode? value, InputDefinition input)
    {
        if (value is JsonValue v && v.TryGetValue<string>(out var text) && text.Contains("${", StringComparison.Ordinal))
            return; // a template: its type is known only when it runs
        var ok = input.Type switch
        {
            InputType.String => IsString(value, out _),
            InputType.Number => JsonNumbers.TryGetDouble(value, out _),
            InputType.Integer => JsonNumbers.IsInteger(value),
            InputType.Boolean => value is JsonValue b && b.TryGetValue<bool>(out _),
            InputType.Duration => IsString(value, out var s) && Duration.TryParse(s, out _),
            InputType.Array => value is JsonArray,
            InputType.Object => value is JsonObject,
            _ => true,
        };
        var typeName = input.Type.ToString().ToLowerInvariant();
        if (!ok)
            Error(node, $"the default of input '{input.Name}' is not a {typeName}{(input.Type == InputType.Duration ? " (" + Duration.Hint + ")" : "")}");
        else if (input.Enum is { } allowed && IsString(value, out var sv) && !allowed.Contains(sv, StringComparer.Ordinal))
            Error(node, $"the default '{sv}' of input '{input.Name}' is not one of: {string.Join(", ", allowed)}");
    }

    private static bool IsString(JsonNode? node, out string value)
    {
        value = "";
        return node is JsonValue v && v.TryGetValue(out value!);
    }

    private Dictionary<string, JsonNode?> ReadOutputs(YamlNode node)
    {
        var result = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (AsMapping(node, "'outputs'") is not { } map)
            return result;
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name })
            {
                Error(keyNode, "an output name must be a plain name");
                continue;
            }

            result[name] = ToJson(value, null, $"outputs/{EscapePointer(name)}");
        }

        return result;
    }

    private JsonObject ReadVariables(YamlNode node)
    {
        var result = new JsonObject();
        if (AsMapping(node, "'variables'") is not { } map)
            return result;
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name } key)
            {
                Error(keyNode, "a variable name must be a plain name");
                continue;
            }

            if (!Patterns.Identifier().IsMatch(name))
                Error(key, $"invalid variable name '{name}': use letters, digits and '_' (it is read as vars.{name})");
            result[name] = ToJson(value, null, $"variables/{name}");
        }

        return result;
    }

    private List<TriggerDefinition> ReadTriggers(YamlNode node)
    {
        var result = new List<TriggerDefinition>();
        if (AsSequence(node, "'triggers'") is not { } seq)
            return result;
        for (var i = 0; i < seq.Children.Count; i++)
        {
            if (AsMapping(seq.Children[i], "a trigger") is not { } map)
                continue;
            var typeNode = map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "type" }).Value;
            var type = typeNode is null ? null : ReadString(typeNode, "the type of a trigger");
            if (typeNode is null)
                Error(map, $"a trigger needs a 'type' ({string.Join(", ", TriggerFields.Keys)})");
            if (type is null)
                continue;
            if (!TriggerFields.TryGetValue(type, out var allowed))
            {
                Error(typeNode!, $"unknown trigger type '{type}'{Suggestions.DidYouMean(type, TriggerFields.Keys)} (types: {string.Join(", ", TriggerFields.Keys)})");
                continue;
            }

            var f = Fields(map, $"a {type} trigger", allowed);
            var settings = new JsonObject();
            foreach (var (name, field) in f)
            {
                if (name != "type")
                    settings[name] = ToJson(field.Value, null, $"triggers/{i}/{name}");
            }

            CheckTrigger(type, f, map);
            result.Add(new TriggerDefinition { Type = type, Settings = settings, Location = Loc(map) });
        }

        return result;
    }

    private void CheckTrigger(string type, Dictionary<string, Field> f, YamlMappingNode map)
    {
        if (type == "message")
        {
            CheckMessageTrigger(f, map);
        }
        else if (type == "schedule")
        {
            if (!f.TryGetValue("cron", out var c))
                Error(map, "a schedule trigger needs 'cron' (e.g. \"0 0 3 * * ?\": every day at 03:00)");
            else if (ReadString(c.Value, "'cron'") is { } cron && CronCheck.Problem(cron) is { } problem)
                Error(c.Value, problem);
            CheckSchedule(f);
        }

        if (f.TryGetValue("inputs", out var inputs) && inputs.Value is not YamlMappingNode && !YamlValues.IsNull(inputs.Value))
            Error(inputs.Value, "'inputs' of a trigger must be a mapping (input name: value or template)");
    }
}
