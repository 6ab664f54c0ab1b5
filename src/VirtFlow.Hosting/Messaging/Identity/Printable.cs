using System.Text;

namespace VirtFlow.Hosting.Messaging.Identity;

/// <summary>Text from a message, made safe for one log line: control characters escaped, length bounded.</summary>
internal static class Printable
{
    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/>, control characters as <c>\xNN</c> / <c>\uNNNN</c>.</summary>
    public static string Bounded(string? text, int max = 120)
    {
        if (text is null) return "(none)";
        var builder = new StringBuilder(Math.Min(text.Length, max) + 8);
        foreach (var c in text)
        {
            if (builder.Length >= max)
            {
                builder.Append('…');
                break;
            }
            if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029') builder.Append(c <= 0xFF ? $"\\x{(int)c:x2}" : $"\\u{(int)c:x4}");
            else builder.Append(c);
        }
        return builder.ToString();
    }
}
