using System.Text.RegularExpressions;

namespace VirtFlow.Contracts.Text;

/// <summary>
/// The one place that hides credentials before text reaches a terminal or a log: the password of a URI's user info
/// (<c>amqp://user:secret@host</c>, <c>postgresql://user:secret@host/db</c>, any scheme), and the value of a
/// <c>Password</c>, <c>Pwd</c>, <c>Passwd</c> or <c>Pass</c> key (any case) written <c>key=value</c> (plain, or quoted
/// with <c>"</c> or <c>'</c> with doubled quotes inside, as in <c>Password="a;b"</c>) or as a JSON member. Each becomes
/// <c>***</c>; everything else is kept.
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>What replaces a secret.</summary>
    public const string Mask = "***";

    /// <summary>
    /// Hides the secrets in free text (a log line, an error message). A plain <c>key=value</c> value ends at <c>;</c>,
    /// <c>&amp;</c>, a quote, a comma or white space.
    /// </summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (!MayHoldSecret(text)) return text;
        text = UserInfo().Replace(text, "${scheme}${user}:" + Mask + "@");
        text = JsonMember().Replace(text, "${key}${colon}\"" + Mask + "\"");
        return KeyValueInText().Replace(text, "${key}${eq}" + Mask);
    }

    /// <summary>
    /// Hides the secrets of one connection string or store spec as a whole (<c>postgres:Host=h;Password=p w</c>): a plain
    /// value runs to the next <c>;</c>, so a password with spaces is hidden whole.
    /// </summary>
    public static string RedactConnectionString(string? spec)
    {
        if (string.IsNullOrEmpty(spec)) return spec ?? "";
        if (!MayHoldSecret(spec)) return spec;
        spec = UserInfo().Replace(spec, "${scheme}${user}:" + Mask + "@");
        return KeyValueInSpec().Replace(spec, "${key}${eq}" + Mask);
    }

    private static bool MayHoldSecret(string text) =>
        text.Contains('@', StringComparison.Ordinal)
        || text.Contains("pass", StringComparison.OrdinalIgnoreCase)
        || text.Contains("pwd", StringComparison.OrdinalIgnoreCase);

    // scheme://user:password@ : the password runs to the last '@' before white space, a slash or a quote.
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?<user>[^\s/@:'""]*):(?<secret>[^\s/'""]*)@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?<key>\b(?:password|passwd|pwd|pass)\b)(?<eq>\s*=\s*)(?<value>""(?:[^""]|"""")*""?|'(?:[^']|'')*'?|[^;&,'""\s]*)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyValueInText();

    [GeneratedRegex(@"(?<key>\b(?:password|passwd|pwd|pass)\b)(?<eq>\s*=\s*)(?<value>""(?:[^""]|"""")*""?|'(?:[^']|'')*'?|[^;]*)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyValueInSpec();

    [GeneratedRegex(@"(?<key>""(?:password|passwd|pwd|pass)"")(?<colon>\s*:\s*)""(?:[^""\\]|\\.)*""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JsonMember();
}
