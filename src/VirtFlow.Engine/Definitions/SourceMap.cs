using VirtFlow.Engine.Definitions.Parsing;

namespace VirtFlow.Engine.Definitions;

/// <summary>
/// Where the templates and settings of a parsed definition were written, so a problem found later
/// (an expression's syntax error, an unknown reference) can point at the exact line and column.
/// A field is found by its owner (a step, or null for the workflow itself) and a path inside it
/// written like a JSON pointer without the leading slash: <c>if</c>, <c>with/disks/0</c>,
/// <c>cases/2/value</c>, <c>outputs/result</c>.
/// </summary>
public sealed class SourceMap
{
    private readonly Dictionary<(SourceLocation? Owner, string Path), ScalarSpan> _scalars = [];
    private readonly Dictionary<(SourceLocation? Owner, string Path), SourceLocation> _nodes = [];

    /// <summary>An empty map (for definitions that did not come from a file).</summary>
    public static SourceMap Empty { get; } = new();

    internal void AddScalar(SourceLocation? owner, string path, ScalarSpan span) => _scalars.TryAdd((owner, path), span);

    internal void AddNode(SourceLocation? owner, string path, SourceLocation location) => _nodes.TryAdd((owner, path), location);

    /// <summary>Where the key of the field at <paramref name="path"/> was written (e.g. an input's name under <c>with:</c>), or null.</summary>
    public SourceLocation? FindKey(StepDefinition? step, string path) =>
        _nodes.TryGetValue((step?.Location, KeyPath(path)), out var location) ? location : null;

    internal static string KeyPath(string path) => "key:" + path;

    /// <summary>
    /// Paths stop growing past this length: the nodes below share their ancestor's path (and its position), so a deep
    /// value under long keys costs no more than its nodes (every node's own full path would cost its depth times its keys).
    /// </summary>
    internal const int MaxPathLength = 1024;

    /// <summary>The path of the member <paramref name="key"/> of the value at <paramref name="path"/>.</summary>
    internal static string Member(string path, string key) =>
        path.Length > MaxPathLength ? path : $"{path}/{Parsing.WorkflowReader.EscapePointer(key)}";

    /// <summary>The path of item <paramref name="index"/> of the list at <paramref name="path"/>.</summary>
    internal static string Item(string path, int index) =>
        path.Length > MaxPathLength ? path : $"{path}/{index}";

    /// <summary>
    /// The location of the character at <paramref name="offset"/> of the field's value (0: where it starts),
    /// or null when the field is unknown.
    /// </summary>
    public SourceLocation? Find(StepDefinition? step, string path, int offset = 0)
    {
        var owner = step?.Location;
        if (_scalars.TryGetValue((owner, path), out var span))
            return span.At(offset);
        return _nodes.TryGetValue((owner, path), out var location) ? location : null;
    }
}
