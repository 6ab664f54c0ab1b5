using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Expressions;

namespace VirtFlow.Hosting.Triggers;

/// <summary>
/// A message's body → the workflow's inputs. The body must be one JSON object within the size limit. Without an
/// <c>inputs</c> mapping its fields are the inputs, and a field the workflow does not declare is refused; with one, each
/// input is the mapping's value or template over <c>message</c> (the body), and a field no template (of the mapping or
/// the trigger's <c>correlationId</c>) reads (<c>message.NAME</c>) is refused, unless a template reads <c>message</c> otherwise (then any field is allowed).
/// Types and required inputs are the engine's check (<c>WorkflowInputException</c>).
/// </summary>
public static partial class MessageInputs
{
    /// <summary>The body as a JSON object; <see cref="MessageRejectedException"/> naming what is wrong otherwise.</summary>
    public static JsonObject Parse(ReadOnlySpan<byte> body, int maxBytes)
    {
        if (body.Length > maxBytes)
            throw new MessageRejectedException($"the message has {body.Length} bytes, more than the limit of {maxBytes} (VirtFlow:Server:MessageTriggers:MaxMessageBytes)");
        if (body.IsEmpty) throw new MessageRejectedException("the message is empty: send one JSON object");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new MessageRejectedException($"the message is not valid JSON: {TerminalText.Safe(e.Message, 200)}");
        }
        return node as JsonObject ?? throw new MessageRejectedException($"the message must be a JSON object, not {Kind(node)}");
    }

    /// <summary>The inputs for <paramref name="binding"/> from <paramref name="message"/>.</summary>
    public static JsonObject Map(MessageTriggerBinding binding, JsonObject message, IExpressionEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(evaluator);
        var mapping = binding.Settings.Inputs;
        if (mapping is null)
        {
            // The fields are the inputs; fields the correlationId template reads may come besides.
            var declared = binding.Definition.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            var forCorrelation = ReadFields(JsonValue.Create(binding.Settings.CorrelationId)) ?? [];
            var unknown = message.Select(kv => kv.Key).Where(k => !declared.Contains(k) && !forCorrelation.Contains(k)).ToList();
            if (unknown.Count > 0)
                throw new MessageRejectedException($"unknown field{(unknown.Count == 1 ? "" : "s")} {Names(unknown)}: workflow '{binding.Workflow}' takes {Names(declared.Order(StringComparer.Ordinal))}");
            var inputs = new JsonObject();
            foreach (var (name, value) in message.Where(kv => declared.Contains(kv.Key))) inputs[name] = value?.DeepClone();
            return inputs;
        }
        if (ReadFields(new JsonArray(mapping.DeepClone(), binding.Settings.CorrelationId)) is { } read)
        {
            var unknown = message.Select(kv => kv.Key).Where(k => !read.Contains(k)).ToList();
            if (unknown.Count > 0)
                throw new MessageRejectedException($"unknown field{(unknown.Count == 1 ? "" : "s")} {Names(unknown)}: the {binding.MessageType} trigger of workflow '{binding.Workflow}' reads {Names(read.Order(StringComparer.Ordinal))}");
        }
        var scope = new ExpressionScope { Locals = new JsonObject { ["message"] = message.DeepClone() } };
        try
        {
            return evaluator.EvaluateTemplate(mapping, scope) as JsonObject
                ?? throw new MessageRejectedException($"the inputs mapping of the {binding.MessageType} trigger gave no object");
        }
        catch (ExpressionException e)
        {
            throw new MessageRejectedException($"the inputs mapping of the {binding.MessageType} trigger failed: {TerminalText.Safe(e.Message, 300)}");
        }
    }

    /// <summary>The correlation id from the trigger's template, or null without one (or when it gives nothing).</summary>
    public static string? Correlation(MessageTriggerBinding binding, JsonObject message, IExpressionEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(evaluator);
        if (binding.Settings.CorrelationId is not { } template) return null;
        var scope = new ExpressionScope { Locals = new JsonObject { ["message"] = message.DeepClone() } };
        try
        {
            return evaluator.EvaluateTemplate(JsonValue.Create(template), scope) switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? null : s,
                null => null,
                var other => other.ToJsonString(),
            };
        }
        catch (ExpressionException e)
        {
            throw new MessageRejectedException($"the correlationId of the {binding.MessageType} trigger failed: {TerminalText.Safe(e.Message, 300)}");
        }
    }

    /// <summary>The fields the mapping's templates read as <c>message.NAME</c>; null when one reads <c>message</c> any other way.</summary>
    internal static HashSet<string>? ReadFields(JsonNode? mapping)
    {
        var fields = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in Strings(mapping))
        {
            foreach (Match m in MessageUse().Matches(text))
            {
                if (!m.Groups["field"].Success) return null;
                fields.Add(m.Groups["field"].Value);
            }
        }
        return fields;
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => Strings(kv.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) && s.Contains("${", StringComparison.Ordinal) => [s],
        _ => [],
    };

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{TerminalText.Safe(n, 60)}'").Take(20));

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "true or false",
        },
        _ => "that",
    };

    /// <summary><c>message</c> as a name (not a property of something else), with the field it reads when written <c>message.NAME</c> or <c>message?.NAME</c>.</summary>
    [GeneratedRegex(@"(?<![\w$.])message(?![\w$])(\??\.(?<field>[A-Za-z_$][\w$]*))?")]
    private static partial Regex MessageUse();
}
