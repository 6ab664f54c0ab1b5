using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace VirtFlow.Engine.Definitions.Limits;

/// <summary>
/// Passes on the events of YamlDotNet's parser (which does not recurse) and stops with a <see cref="WorkflowLimitException"/>
/// at the first event past a limit, before the representation model (which recurses once per nesting level) builds it:
/// nesting deeper than <see cref="WorkflowLimits.MaxYamlDepth"/>, more than <see cref="WorkflowLimits.MaxNodes"/> nodes or
/// <see cref="WorkflowLimits.MaxFileBytes"/> characters of scalars with every alias expanded (an alias counts what its anchor
/// holds, so an alias bomb stops at the alias that crosses the limit), and an alias inside the node it refers to (a cycle).
/// </summary>
internal sealed class LimitedYamlParser(IParser inner, WorkflowLimits limits) : IParser
{
    /// <summary>What an anchored node expands to.</summary>
    private readonly record struct Size(long Nodes, long Chars, int Height);

    /// <summary>An open list or mapping.</summary>
    private sealed class Frame(string? anchor, long nodesAtStart, long charsAtStart)
    {
        public string? Anchor { get; } = anchor;

        public long NodesAtStart { get; } = nodesAtStart;

        public long CharsAtStart { get; } = charsAtStart;

        /// <summary>The height of its highest child (0: scalars only, or empty).</summary>
        public int ChildHeight { get; set; }
    }

    private readonly Stack<Frame> _open = new();
    private readonly Dictionary<string, Size> _anchors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _openAnchors = new(StringComparer.Ordinal);
    private long _nodes;
    private long _chars;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
            return false;
        switch (inner.Current)
        {
            case DocumentStart:
                _anchors.Clear();
                break;
            case Scalar scalar:
                Add(scalar, 1, scalar.Value.Length, 0, null);
                if (!scalar.Anchor.IsEmpty)
                    _anchors[scalar.Anchor.Value] = new Size(1, scalar.Value.Length, 0);
                break;
            case NodeEvent start and (SequenceStart or MappingStart):
                if (_open.Count + 1 > limits.MaxYamlDepth)
                    throw Refuse(start, $"the YAML nests deeper than {limits.MaxYamlDepth} levels (the limit that {Depths} allow)");
                Add(start, 1, 0, 0, null);
                var anchor = start.Anchor.IsEmpty ? null : start.Anchor.Value;
                if (anchor is not null)
                    _openAnchors.Add(anchor);
                _open.Push(new Frame(anchor, _nodes, _chars));
                break;
            case SequenceEnd or MappingEnd:
                Close();
                break;
            case AnchorAlias alias:
                Expand(alias);
                break;
        }

        return true;
    }

    private string Depths => $"MaxStepDepth {limits.MaxStepDepth} and MaxValueDepth {limits.MaxValueDepth}";

    private void Close()
    {
        if (!_open.TryPop(out var frame))
            return;
        var height = frame.ChildHeight + 1;
        if (_open.TryPeek(out var parent))
            parent.ChildHeight = Math.Max(parent.ChildHeight, height);
        if (frame.Anchor is { } anchor)
        {
            // The frame's own node was counted when it opened: 1 + everything counted since.
            _anchors[anchor] = new Size(_nodes - frame.NodesAtStart + 1, _chars - frame.CharsAtStart, height);
            _openAnchors.Remove(anchor);
        }
    }

    private void Expand(AnchorAlias alias)
    {
        var name = alias.Value.Value;
        if (_openAnchors.Contains(name))
            throw Refuse(alias, $"alias '*{name}' is inside the node it refers to: it would repeat without end");
        if (!_anchors.TryGetValue(name, out var size))
            return; // YamlDotNet reports an unknown anchor itself
        if (_open.Count + size.Height > limits.MaxYamlDepth)
            throw Refuse(alias, $"alias '*{name}' makes the YAML nest deeper than {limits.MaxYamlDepth} levels once expanded (the limit that {Depths} allow)");
        Add(alias, size.Nodes, size.Chars, size.Height, name);
    }

    private void Add(ParsingEvent at, long nodes, long chars, int height, string? alias)
    {
        _nodes += nodes;
        _chars += chars;
        if (_open.TryPeek(out var parent))
            parent.ChildHeight = Math.Max(parent.ChildHeight, height);
        if (_nodes > limits.MaxNodes)
        {
            throw Refuse(at, alias is null
                ? $"the file has more than {limits.MaxNodes:N0} YAML nodes (limit MaxNodes)"
                : $"alias '*{alias}' expands the file to more than {limits.MaxNodes:N0} YAML nodes (limit MaxNodes; an alias counts every node it refers to)");
        }

        if (_chars > limits.MaxFileBytes)
        {
            throw Refuse(at, alias is null
                ? $"the file's values hold more than {limits.MaxFileBytes:N0} characters (limit MaxFileBytes)"
                : $"alias '*{alias}' expands the file's values to more than {limits.MaxFileBytes:N0} characters (limit MaxFileBytes)");
        }
    }

    private static WorkflowLimitException Refuse(ParsingEvent at, string message) =>
        new((int)at.Start.Line, (int)at.Start.Column, message);
}
