using System.Globalization;
using System.Text;

namespace VirtFlow.Contracts.Text;

/// <summary>
/// Makes text that came from outside (QMP, the guest agent, the store, a message, a file) safe to print on a terminal
/// or in a log line: control characters become visible escapes (C0 and DEL as <c>\x1b</c>, <c>\n</c>, <c>\r</c>,
/// <c>\t</c>; C1 as <c>\u009b</c>; also lone surrogates, the line and paragraph separators and the bidirectional
/// overrides), and the length is bounded (<c>…(+N chars)</c>). Nothing else changes, so plain text stays as it was.
/// </summary>
public static class TerminalText
{
    /// <summary>The default bound of a value echoed from input (an id, a name, a message).</summary>
    public const int DefaultMaxLength = 200;

    /// <summary>The bound of a longer text echoed from input (a fault reason, an error message).</summary>
    public const int LongMaxLength = 2000;

    /// <summary>
    /// <see cref="SecretRedactor.Redact"/>, then <see cref="Escape"/>, then <see cref="Bound"/>: what to do with any text
    /// from outside before it is printed.
    /// </summary>
    public static string Safe(string? text, int maxLength = DefaultMaxLength) =>
        Bound(Escape(SecretRedactor.Redact(text)), maxLength);

    /// <summary>Whether <paramref name="c"/> (a UTF-16 unit) is escaped by <see cref="Escape"/> (a surrogate only when lone).</summary>
    public static bool NeedsEscape(char c) =>
        c < 0x20 || c is >= '\u007f' and <= '\u009f'
        || c is '\u061c' or '\u200e' or '\u200f' or '\u2028' or '\u2029'
        || c is >= '\u202a' and <= '\u202e'
        || c is >= '\u2066' and <= '\u2069';

    /// <summary>
    /// The text with every character a terminal would act on shown as an escape; <paramref name="keepNewlines"/> keeps
    /// <c>\n</c> (for multi-line text such as a stack trace). Null gives "".
    /// </summary>
    public static string Escape(string? text, bool keepNewlines = false)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var first = FirstToEscape(text, keepNewlines);
        if (first < 0) return text;
        var result = new StringBuilder(text.Length + 16);
        result.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                result.Append(c).Append(text[++i]);
                continue;
            }
            if (keepNewlines && c == '\n' || !NeedsEscape(c) && !char.IsSurrogate(c))
            {
                result.Append(c);
                continue;
            }
            result.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < '\u0080' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }
        return result.ToString();
    }

    /// <summary>
    /// A JSON text (as System.Text.Json writes it, control characters already escaped) with the characters a terminal
    /// would act on that the encoder lets through (bidirectional overrides, separators) written as <c>\uXXXX</c>
    /// escapes: these only occur inside strings, so the JSON stays valid and means the same.
    /// </summary>
    public static string EscapeJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var first = -1;
        for (var i = 0; i < json.Length && first < 0; i++)
            if (json[i] is not ('\n' or '\r' or '\t') && (NeedsEscape(json[i]) || IsLoneSurrogate(json, i))) first = i;
        if (first < 0) return json;
        var result = new StringBuilder(json.Length + 16);
        result.Append(json, 0, first);
        for (var i = first; i < json.Length; i++)
        {
            var c = json[i];
            if (c is not ('\n' or '\r' or '\t') && (NeedsEscape(c) || IsLoneSurrogate(json, i)))
                result.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else
                result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>The text cut to <paramref name="maxLength"/> characters, followed by <c>…(+N chars)</c> when it was longer.</summary>
    public static string Bound(string? text, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (text.Length <= maxLength) return text;
        var cut = maxLength;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, cut)}…(+{text.Length - cut} chars)");
    }

    private static int FirstToEscape(string text, bool keepNewlines)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (keepNewlines && c == '\n') continue;
            if (NeedsEscape(c) || IsLoneSurrogate(text, i)) return i;
            if (char.IsHighSurrogate(c)) i++;
        }
        return -1;
    }

    private static bool IsLoneSurrogate(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c)) return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        if (char.IsLowSurrogate(c)) return i == 0 || !char.IsHighSurrogate(text[i - 1]);
        return false;
    }
}
