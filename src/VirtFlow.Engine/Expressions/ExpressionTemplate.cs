using System.Text;

namespace VirtFlow.Engine.Expressions;

/// <summary>
/// A string of a workflow file split into literal text and <c>${ expression }</c> parts. The end of an
/// expression is the <c>}</c> that closes its <c>${</c>: braces of object literals and blocks, and any
/// <c>}</c> inside a string or template literal (<c>'…'</c>, <c>"…"</c>, <c>`…${…}…`</c>) do not end it.
/// <c>$${</c> writes a literal <c>${</c>. (A <c>}</c> inside a regular-expression literal or a comment is
/// not recognised: use <c>\x7d</c> or a string there.)
/// </summary>
public sealed class ExpressionTemplate
{
    private ExpressionTemplate(string text, IReadOnlyList<TemplatePart> parts)
    {
        Text = text;
        Parts = parts;
        var expressions = parts.Count(p => p.IsExpression);
        HasExpressions = expressions > 0;
        IsSingleExpression = expressions == 1 && parts.All(p => p.IsExpression || string.IsNullOrWhiteSpace(p.Text));
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Literal text and expressions, in order.</summary>
    public IReadOnlyList<TemplatePart> Parts { get; }

    public bool HasExpressions { get; }

    /// <summary>
    /// True when the template is one <c>${ }</c> with nothing but whitespace around it: it evaluates to the
    /// expression's value with its JSON type (a number stays a number) instead of a string.
    /// </summary>
    public bool IsSingleExpression { get; }

    /// <summary>The single expression of a <see cref="IsSingleExpression"/> template.</summary>
    public TemplatePart SingleExpression => Parts.First(p => p.IsExpression);

    /// <summary>Quick test: could <paramref name="text"/> hold an expression (contains <c>${</c>)?</summary>
    public static bool MayContainExpression(string? text) => text is not null && text.Contains("${", StringComparison.Ordinal);

    /// <summary>Splits <paramref name="text"/>; throws <see cref="FormatException"/> on an unterminated or empty <c>${</c>.</summary>
    public static ExpressionTemplate Parse(string text) =>
        TryParse(text, out var template, out var error) ? template : throw new FormatException(error!.Message);

    /// <summary>Splits <paramref name="text"/>; on failure <paramref name="error"/> tells what and where (offset in the text).</summary>
    public static bool TryParse(string text, out ExpressionTemplate template, out TemplateError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<TemplatePart>();
        var literal = new StringBuilder();
        var literalStart = 0;
        error = null;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && At(text, i + 1, "${"))
            {
                literal.Append("${");
                i += 3;
                continue;
            }

            if (text[i] != '$' || !At(text, i + 1, "{"))
            {
                literal.Append(text[i++]);
                continue;
            }

            if (literal.Length > 0)
                parts.Add(new TemplatePart(false, literal.ToString(), literalStart));
            literal.Clear();
            var start = i + 2;
            var end = ScanExpressionEnd(text, start);
            if (end < 0)
            {
                error = new TemplateError("unterminated '${': no matching '}'", i);
                break;
            }

            var expression = text[start..end];
            if (string.IsNullOrWhiteSpace(expression))
            {
                error = new TemplateError("empty expression '${}'", i);
                break;
            }

            parts.Add(new TemplatePart(true, expression, start));
            i = end + 1;
            literalStart = i;
        }

        if (literal.Length > 0)
            parts.Add(new TemplatePart(false, literal.ToString(), literalStart));
        template = new ExpressionTemplate(text, parts);
        return error is null;
    }

    private static bool At(string text, int index, string what) =>
        index + what.Length <= text.Length && string.CompareOrdinal(text, index, what, 0, what.Length) == 0;

    /// <summary>The index of the <c>}</c> that ends the expression starting at <paramref name="start"/>, or -1.</summary>
    private static int ScanExpressionEnd(string s, int start)
    {
        var depth = 0;
        var i = start;
        while (i < s.Length)
        {
            switch (s[i])
            {
                case '\'' or '"':
                    i = SkipString(s, i);
                    if (i < 0)
                        return -1;
                    continue;
                case '`':
                    i = SkipTemplateLiteral(s, i);
                    if (i < 0)
                        return -1;
                    continue;
                case '{':
                    depth++;
                    break;
                case '}':
                    if (depth == 0)
                        return i;
                    depth--;
                    break;
            }

            i++;
        }

        return -1;
    }

    /// <summary>Skips a quoted string starting at <paramref name="i"/>; returns the index after its closing quote, or -1.</summary>
    private static int SkipString(string s, int i)
    {
        var quote = s[i++];
        while (i < s.Length)
        {
            if (s[i] == '\\')
                i += 2;
            else if (s[i] == quote)
                return i + 1;
            else
                i++;
        }

        return -1;
    }

    private static int SkipTemplateLiteral(string s, int i)
    {
        i++;
        while (i < s.Length)
        {
            if (s[i] == '\\')
                i += 2;
            else if (s[i] == '`')
                return i + 1;
            else if (s[i] == '$' && At(s, i + 1, "{"))
            {
                var end = ScanExpressionEnd(s, i + 2);
                if (end < 0)
                    return -1;
                i = end + 1;
            }
            else
                i++;
        }

        return -1;
    }
}

/// <summary>A part of an <see cref="ExpressionTemplate"/>: literal text, or an expression (without <c>${ }</c>).</summary>
/// <param name="IsExpression">True for an expression.</param>
/// <param name="Text">The literal text (with <c>$${</c> already turned into <c>${</c>) or the expression's code.</param>
/// <param name="Offset">Where the part starts in the template's text (for an expression: after <c>${</c>).</param>
public readonly record struct TemplatePart(bool IsExpression, string Text, int Offset);

/// <summary>Why a template could not be split, and where (offset of the offending <c>${</c>).</summary>
public sealed record TemplateError(string Message, int Offset);
