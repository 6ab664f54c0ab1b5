using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>
/// Where a YAML scalar was written, able to map an offset inside its value back to a line and column
/// of the file: exact for single-line scalars (plain, quoted, with escapes) and literal blocks
/// (<c>|</c>); the scalar's start for folded and multi-line flow scalars.
/// </summary>
internal sealed class ScalarSpan
{
    private readonly string _file;
    private readonly string _source;
    private readonly YamlScalarNode _node;

    public ScalarSpan(string file, string source, YamlScalarNode node)
    {
        _file = file;
        _source = source;
        _node = node;
    }

    public SourceLocation Start => new(_file, (int)_node.Start.Line, (int)_node.Start.Column);

    /// <summary>The location of the character at <paramref name="offset"/> in the scalar's value.</summary>
    public SourceLocation At(int offset)
    {
        var value = _node.Value ?? "";
        if (offset <= 0 || offset > value.Length)
            return Start;
        return _node.Style switch
        {
            ScalarStyle.Literal => InLiteralBlock(value, offset),
            ScalarStyle.Plain or ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted
                when _node.Start.Line == _node.End.Line => OnOneLine(value, offset),
            _ => Start,
        };
    }

    private SourceLocation InLiteralBlock(string value, int offset)
    {
        var lineIndex = 0;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (value[i] == '\n')
            {
                lineIndex++;
                lineStart = i + 1;
            }
        }

        var indent = BlockIndentation();
        if (indent < 0)
            return Start;
        return new SourceLocation(_file, (int)_node.Start.Line + 1 + lineIndex, indent + 1 + (offset - lineStart));
    }

    /// <summary>The indentation of a block scalar: that of its first non-blank content line.</summary>
    private int BlockIndentation()
    {
        var i = (int)_node.Start.Index;
        while (i < _source.Length && _source[i] != '\n')
            i++;
        var end = Math.Min((int)_node.End.Index, _source.Length);
        while (++i < end)
        {
            var spaces = 0;
            while (i < end && _source[i] == ' ')
            {
                spaces++;
                i++;
            }

            if (i < end && _source[i] != '\n' && _source[i] != '\r')
                return spaces;
        }

        return -1;
    }

    private SourceLocation OnOneLine(string value, int offset)
    {
        var quoted = _node.Style != ScalarStyle.Plain;
        var raw = (int)_node.Start.Index + (quoted ? 1 : 0);
        var rawPos = 0;
        for (var valuePos = 0; valuePos < offset && raw + rawPos < _source.Length; valuePos++)
            rawPos += RawLength(raw + rawPos, value[valuePos]);
        return new SourceLocation(_file, (int)_node.Start.Line, (int)_node.Start.Column + (quoted ? 1 : 0) + rawPos);
    }

    /// <summary>How many source characters spell one value character at <paramref name="at"/>.</summary>
    private int RawLength(int at, char valueChar)
    {
        var c = _source[at];
        if (_node.Style == ScalarStyle.SingleQuoted && c == '\'' && valueChar == '\'')
            return 2;
        if (_node.Style != ScalarStyle.DoubleQuoted || c != '\\' || at + 1 >= _source.Length)
            return 1;
        return _source[at + 1] switch
        {
            'x' => 4,
            'u' => char.IsLowSurrogate(valueChar) ? 0 : 6,
            'U' => char.IsLowSurrogate(valueChar) ? 0 : 10,
            _ => 2,
        };
    }
}
