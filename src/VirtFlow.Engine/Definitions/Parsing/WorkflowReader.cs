using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions.Limits;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>
/// Reads one workflow file (YAML, or JSON which is read as YAML) into a <see cref="WorkflowDefinition"/>,
/// collecting every problem instead of stopping at the first. One instance per file; not reusable.
/// </summary>
internal sealed partial class WorkflowReader
{
    private static readonly string[] TopLevelFields =
        ["$schema", "name", "version", "description", "lock", "inputs", "outputs", "triggers", "variables", "steps"];

    private readonly string _file;
    private readonly string _text;
    private readonly WorkflowLimits _limits;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly SourceMap _map = new();
    private readonly List<(string Id, bool Explicit, SourceLocation Location)> _ids = [];

    private string _source = "";
    private int _stepDepth;
    private int _valueDepth;

    public WorkflowReader(string source, string file, WorkflowLimits limits)
    {
        _file = file;
        _text = source;
        _limits = limits;
    }

    /// <summary>The definition and every problem found; only the limit's diagnostic when the file goes past one of its limits.</summary>
    public ParseResult Read()
    {
        try
        {
            if (Encoding.UTF8.GetByteCount(_text) > _limits.MaxFileBytes)
                throw new WorkflowLimitException(1, 1, $"the workflow holds more than {_limits.MaxFileBytes:N0} bytes (limit MaxFileBytes)");
            _source = LooksLikeJson(_text, _file) ? _text.Replace('\t', ' ') : _text;
            return ReadWithinLimits();
        }
        catch (WorkflowLimitException e)
        {
            return new ParseResult(_file, null, [e.ToDiagnostic(_file)], SourceMap.Empty);
        }
    }

    private ParseResult ReadWithinLimits()
    {
        var root = LoadRoot();
        if (root is null)
            return Result(null);
        if (root is not YamlMappingNode map)
        {
            Error(root, "a workflow file must be a mapping (name:, steps:, ...) at the top level");
            return Result(null);
        }

        var location = Loc(map);
        var f = Fields(map, "the workflow", TopLevelFields);
        var name = ReadName(f, map);
        var version = 1;
        if (f.TryGetValue("version", out var v) && ReadInt(v.Value, "'version'") is { } ver)
        {
            if (ver < 1)
                Error(v.Value, "'version' must be 1 or more");
            version = ver;
        }

        var definition = new WorkflowDefinition
        {
            Name = name,
            Version = version,
            Description = f.TryGetValue("description", out var d) ? ReadString(d.Value, "'description'") : null,
            Inputs = f.TryGetValue("inputs", out var i) ? ReadInputs(i.Value) : [],
            Outputs = f.TryGetValue("outputs", out var o) ? ReadOutputs(o.Value) : new Dictionary<string, JsonNode?>(),
            Triggers = f.TryGetValue("triggers", out var t) ? ReadTriggers(t.Value) : [],
            Lock = f.TryGetValue("lock", out var l) ? ReadLock(l.Value) : null,
            Variables = f.TryGetValue("variables", out var vars) ? ReadVariables(vars.Value) : new JsonObject(),
            Steps = f.TryGetValue("steps", out var s) ? ReadStepList(s.Value, null, "", "'steps'") : [],
            Location = location,
        };
        if (!f.ContainsKey("steps"))
            Error(map, "the workflow has no 'steps' (a list of steps to run)");
        CheckDuplicateIds();

        var canonical = CanonicalJsonWriter.Write(definition);
        if (canonical.Length > _limits.MaxFileBytes)
            throw new WorkflowLimitException(location.Line, location.Column, $"the workflow takes {canonical.Length:N0} characters once written out (aliases expanded, defaults filled in), more than the limit of {_limits.MaxFileBytes:N0} (MaxFileBytes)");
        definition = definition with
        {
            CanonicalJson = canonical,
            Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))),
        };
        return Result(definition);
    }

    private ParseResult Result(WorkflowDefinition? definition) =>
        new(_file, definition, Diagnostic.Sort(_diagnostics), _map);

    private YamlNode? LoadRoot()
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new LimitedYamlParser(new Parser(new StringReader(_source)), _limits));
        }
        catch (YamlException e)
        {
            var line = Math.Max(1, (int)e.Start.Line);
            var column = Math.Max(1, (int)e.Start.Column);
            _diagnostics.Add(new Diagnostic(new SourceLocation(_file, line, column), $"invalid YAML: {e.Message}"));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            _diagnostics.Add(new Diagnostic(new SourceLocation(_file, 1, 1), $"invalid YAML: {e.Message}"));
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            _diagnostics.Add(new Diagnostic(new SourceLocation(_file, 1, 1), "the file is empty"));
            return null;
        }

        if (stream.Documents.Count > 1)
            Error(stream.Documents[1].RootNode, "one workflow per file: remove the second YAML document (after '---')");
        var root = stream.Documents[0].RootNode;
        if (YamlValues.IsNull(root))
        {
            _diagnostics.Add(new Diagnostic(new SourceLocation(_file, 1, 1), "the file is empty"));
            return null;
        }

        return root;
    }

    private string ReadName(Dictionary<string, Field> f, YamlMappingNode map)
    {
        if (!f.TryGetValue("name", out var n))
        {
            Error(map, "the workflow has no 'name'");
            return "";
        }

        var name = ReadString(n.Value, "'name'") ?? "";
        if (name.Length > 0 && !Patterns.WorkflowName().IsMatch(name))
            Error(n.Value, $"invalid workflow name '{name}': use letters, digits, '-', '_' and '.', starting with a letter or digit");
        return name;
    }

    private static bool LooksLikeJson(string source, string file) =>
        file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || source.TrimStart() is ['{' or '[', ..];
}
