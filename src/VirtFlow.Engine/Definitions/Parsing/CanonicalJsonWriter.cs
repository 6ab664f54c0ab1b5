using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>
/// The canonical JSON of a definition: the workflow format itself (so <see cref="WorkflowParser"/> reads
/// it back into the same definition, with the same hash), with fields in a fixed order, object keys of
/// values sorted, defaults written out, derived ids left out, no source positions and no whitespace.
/// Reformatting a file or reordering the keys of a <c>with:</c> keeps the hash.
/// </summary>
internal static class CanonicalJsonWriter
{
    /// <summary>
    /// Written with a writer of its own: the serializer's options stop at 64 levels, which 40 nested steps pass (each takes
    /// two or three levels). The parser's limits keep a definition well within the writer's 1,000.
    /// </summary>
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static string Write(WorkflowDefinition d)
    {
        var root = new JsonObject { ["name"] = d.Name, ["version"] = d.Version };
        if (d.Description is not null)
            root["description"] = d.Description;
        if (d.Lock is not null)
            root["lock"] = d.Lock;
        if (d.Inputs.Count > 0)
        {
            var inputs = new JsonObject();
            foreach (var input in d.Inputs)
                inputs[input.Name] = Input(input);
            root["inputs"] = inputs;
        }

        if (d.Outputs.Count > 0)
            root["outputs"] = Sorted(d.Outputs);
        if (d.Triggers.Count > 0)
            root["triggers"] = new JsonArray(d.Triggers.Select(t => (JsonNode)Trigger(t)).ToArray());
        if (d.Variables.Count > 0)
            root["variables"] = Value(d.Variables);
        root["steps"] = Steps(d.Steps);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
            root.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>One step, as it appears inside <see cref="Write"/>.</summary>
    public static string WriteStep(StepDefinition s)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
            Step(s).WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonObject Input(InputDefinition input)
    {
        var o = new JsonObject { ["type"] = input.Type.ToString().ToLowerInvariant() };
        if (input.Required)
            o["required"] = true;
        if (input.Default is not null)
            o["default"] = Value(input.Default);
        if (input.Description is not null)
            o["description"] = input.Description;
        if (input.Enum is not null)
            o["enum"] = new JsonArray(input.Enum.Select(e => (JsonNode)JsonValue.Create(e)).ToArray());
        if (input.Items is not null)
            o["items"] = Value(input.Items);
        return o;
    }

    private static JsonObject Trigger(TriggerDefinition t)
    {
        var o = new JsonObject { ["type"] = t.Type };
        foreach (var (key, value) in t.Settings.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            o[key] = Value(value);
        return o;
    }

    private static JsonArray Steps(IEnumerable<StepDefinition> steps) => new(steps.Select(s => (JsonNode)Step(s)).ToArray());

    private static JsonObject Step(StepDefinition s)
    {
        var o = new JsonObject();
        if (s.HasExplicitId)
            o["id"] = s.Id;
        o["type"] = s.Type;
        if (s.DisplayName is not null)
            o["name"] = s.DisplayName;
        if (s.If is not null)
            o["if"] = s.If;
        if (s.Timeout is not null)
            o["timeout"] = s.Timeout;
        if (s.Retry is { } r)
            o["retry"] = new JsonObject { ["maxAttempts"] = r.MaxAttempts, ["delay"] = r.Delay, ["backoff"] = r.Backoff };
        if (s.ContinueOnError)
            o["continueOnError"] = true;
        switch (s)
        {
            case ActivityStep a:
                o["with"] = Value(a.With);
                break;
            case SequenceStep seq:
                o["steps"] = Steps(seq.Steps);
                break;
            case ParallelStep p:
                o["branches"] = new JsonArray(p.Branches.Select(b => (JsonNode)Steps(b)).ToArray());
                break;
            case ForEachStep f:
                o["items"] = f.Items;
                o["as"] = f.As;
                o["maxParallelism"] = f.MaxParallelism;
                o["steps"] = Steps(f.Steps);
                break;
            case IfStep i:
                o["condition"] = i.Condition;
                o["then"] = Steps(i.Then);
                o["else"] = Steps(i.Else);
                break;
            case SwitchStep sw:
                o["value"] = sw.Value;
                o["cases"] = new JsonArray(sw.Cases.Select(c => (JsonNode)new JsonObject { ["value"] = Value(c.Match), ["steps"] = Steps(c.Steps) }).ToArray());
                o["default"] = Steps(sw.Default);
                break;
            case WhileStep w:
                o["condition"] = w.Condition;
                o["maxIterations"] = w.MaxIterations;
                o["steps"] = Steps(w.Steps);
                break;
            case TryStep t:
                o["steps"] = Steps(t.Steps);
                if (t.Catch is not null)
                    o["catch"] = Steps(t.Catch);
                o["finally"] = Steps(t.Finally);
                break;
        }

        return o;
    }

    private static JsonObject Sorted(IEnumerable<KeyValuePair<string, JsonNode?>> pairs)
    {
        var o = new JsonObject();
        foreach (var (key, value) in pairs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            o[key] = Value(value);
        return o;
    }

    /// <summary>A deep copy with object keys sorted.</summary>
    private static JsonNode? Value(JsonNode? node) => node switch
    {
        JsonObject obj => Sorted(obj),
        JsonArray arr => new JsonArray(arr.Select(Value).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
