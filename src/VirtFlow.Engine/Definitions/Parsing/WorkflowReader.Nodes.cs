using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions.Limits;
using VirtFlow.Engine.Expressions;
using YamlDotNet.RepresentationModel;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>Reading typed values out of YAML nodes, reporting what does not fit.</summary>
internal sealed partial class WorkflowReader
{
    /// <summary>A key of a mapping and its value.</summary>
    private readonly record struct Field(YamlScalarNode Key, YamlNode Value);

    private SourceLocation Loc(YamlNode node) => new(_file, Math.Max(1, (int)node.Start.Line), Math.Max(1, (int)node.Start.Column));

    private void Error(YamlNode node, string message) => _diagnostics.Add(new Diagnostic(Loc(node), message));

    private void Warning(YamlNode node, string message) =>
        _diagnostics.Add(new Diagnostic(Loc(node), message, DiagnosticSeverity.Warning));

    /// <summary>The fields of a mapping by name; reports unknown fields (with a suggestion) and non-text keys.</summary>
    private Dictionary<string, Field> Fields(YamlMappingNode map, string owner, IReadOnlyCollection<string> allowed, string? allowedHint = null)
    {
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode key || key.Value is null)
            {
                Error(keyNode, $"a key of {owner} must be a plain name");
                continue;
            }

            if (!allowed.Contains(key.Value))
            {
                var hint = Suggestions.DidYouMean(key.Value, allowed);
                if (hint.Length == 0)
                    hint = $" ({allowedHint ?? "allowed: " + string.Join(", ", allowed.Where(a => a != "$schema"))})";
                Error(key, $"unknown field '{key.Value}' in {owner}{hint}");
                continue;
            }

            fields[key.Value] = new Field(key, value);
        }

        return fields;
    }

    private YamlMappingNode? AsMapping(YamlNode node, string what)
    {
        if (node is YamlMappingNode m)
            return m;
        if (!YamlValues.IsNull(node))
            Error(node, $"{what} must be a mapping (name: value)");
        return null;
    }

    private YamlSequenceNode? AsSequence(YamlNode node, string what)
    {
        if (node is YamlSequenceNode s)
            return s;
        if (!YamlValues.IsNull(node))
            Error(node, $"{what} must be a list (items starting with '-')");
        return null;
    }

    /// <summary>Any non-null scalar as text (numbers and booleans as written).</summary>
    private string? ReadString(YamlNode node, string what)
    {
        if (node is YamlScalarNode s && !YamlValues.IsNull(s))
            return s.Value ?? "";
        Error(node, YamlValues.IsNull(node) ? $"{what} must not be empty" : $"{what} must be text, not a {Kind(node)}");
        return null;
    }

    private int? ReadInt(YamlNode node, string what)
    {
        if (node is YamlScalarNode s && YamlValues.IsPlain(s) && YamlValues.TryInteger(s.Value ?? "", out var l) && l is >= int.MinValue and <= int.MaxValue)
            return (int)l;
        Error(node, $"{what} must be an integer, not {Describe(node)}");
        return null;
    }

    private double? ReadNumber(YamlNode node, string what)
    {
        if (node is YamlScalarNode s && JsonNumbers.TryGetDouble(YamlValues.ToJson(s), out var d))
            return d;
        Error(node, $"{what} must be a number, not {Describe(node)}");
        return null;
    }

    private bool? ReadBool(YamlNode node, string what)
    {
        if (node is YamlScalarNode s && YamlValues.ToJson(s) is JsonValue v && v.TryGetValue<bool>(out var b))
            return b;
        Error(node, $"{what} must be true or false, not {Describe(node)}");
        return null;
    }

    /// <summary>A duration field (<c>30s</c>) or a template that computes one; reports anything else.</summary>
    private string? ReadDuration(YamlNode node, string what)
    {
        var text = ReadString(node, what);
        if (text is not null && !text.Contains("${", StringComparison.Ordinal) && !Duration.TryParse(text, out _))
            Error(node, $"invalid duration '{text}' for {what}: {Duration.Hint}");
        return text;
    }

    /// <summary>
    /// Converts a node to JSON (see <see cref="YamlValues"/>), remembering where each string was written
    /// so that later problems in templates point at the right line and column.
    /// </summary>
    private JsonNode? ToJson(YamlNode node, SourceLocation? owner, string path)
    {
        _map.AddNode(owner, path, Loc(node));
        switch (node)
        {
            case YamlScalarNode s:
                var value = YamlValues.ToJson(s);
                if (value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    _map.AddScalar(owner, path, new ScalarSpan(_file, _source, s));
                return value;
            case YamlSequenceNode or YamlMappingNode when _valueDepth >= _limits.MaxValueDepth:
                var at = Loc(node);
                throw new WorkflowLimitException(at.Line, at.Column, $"a value nests deeper than {_limits.MaxValueDepth} levels here (limit MaxValueDepth)");
            case YamlSequenceNode or YamlMappingNode:
                _valueDepth++;
                var json = CollectionToJson(node, owner, path);
                _valueDepth--;
                return json;
            default:
                return null;
        }
    }

    private JsonNode? CollectionToJson(YamlNode node, SourceLocation? owner, string path)
    {
        switch (node)
        {
            case YamlSequenceNode seq:
                var array = new JsonArray();
                for (var i = 0; i < seq.Children.Count; i++)
                    array.Add(ToJson(seq.Children[i], owner, SourceMap.Item(path, i)));
                return array;
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, val) in map.Children)
                {
                    if (k is not YamlScalarNode key || key.Value is null)
                    {
                        Error(k, "a key must be a plain name");
                        continue;
                    }

                    var childPath = SourceMap.Member(path, key.Value);
                    _map.AddNode(owner, SourceMap.KeyPath(childPath), Loc(key));
                    obj[key.Value] = ToJson(val, owner, childPath);
                }

                return obj;
            default:
                return null;
        }
    }

    /// <summary>Records a scalar template (if, condition, items...) for the source map and returns its text.</summary>
    private string? ReadTemplate(YamlNode node, SourceLocation owner, string path, string what)
    {
        _map.AddNode(owner, path, Loc(node));
        if (node is YamlScalarNode s && !YamlValues.IsNull(s))
        {
            _map.AddScalar(owner, path, new ScalarSpan(_file, _source, s));
            return s.Value ?? "";
        }

        Error(node, YamlValues.IsNull(node) ? $"{what} must not be empty" : $"{what} must be an expression or text, not a {Kind(node)}");
        return null;
    }

    internal static string EscapePointer(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s when YamlValues.IsNull(s) => "nothing",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "a " + Kind(node),
    };
}
