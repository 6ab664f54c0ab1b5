using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>
/// Where the walk is: the path prefix of the enclosing loop iteration (<c>""</c>, <c>loop[3]/</c>,
/// <c>outer[1]/inner#2/</c>) and the local names visible there (loop variable, index, <c>error</c>).
/// Locals are kept by reference and copied only when an expression needs them.
/// </summary>
internal sealed class Frame
{
    public static readonly Frame Root = new("", null, null);

    private readonly IReadOnlyList<KeyValuePair<string, JsonNode?>>? _locals;

    private Frame(string prefix, Frame? parent, IReadOnlyList<KeyValuePair<string, JsonNode?>>? locals)
    {
        Prefix = prefix;
        Parent = parent;
        _locals = locals;
    }

    public string Prefix { get; }
    public Frame? Parent { get; }

    /// <summary>A loop iteration: a new path prefix and locals.</summary>
    public Frame Iteration(string prefix, params KeyValuePair<string, JsonNode?>[] locals) => new(prefix, this, locals);

    /// <summary>Same paths, more locals (a catch's <c>error</c>).</summary>
    public Frame WithLocals(params KeyValuePair<string, JsonNode?>[] locals) => new(Prefix, this, locals);

    /// <summary>A fresh object with every local visible here (inner names shadow outer ones); null when there are none.</summary>
    public JsonObject? MaterializeLocals()
    {
        List<Frame>? chain = null;
        for (var f = this; f is not null; f = f.Parent)
        {
            if (f._locals is { Count: > 0 }) (chain ??= []).Add(f);
        }
        if (chain is null) return null;
        var result = new JsonObject();
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            foreach (var (name, value) in chain[i]._locals!) result[name] = value?.DeepClone();
        }
        return result;
    }
}
