using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>
/// YAML scalars as JSON values, by the YAML 1.2 core schema: plain <c>true</c>/<c>false</c> → boolean,
/// <c>3</c>, <c>0x1F</c>, <c>1.5</c>, <c>1e3</c> → number, <c>null</c>/<c>~</c>/nothing → null; quoted,
/// block and <c>!!str</c> scalars → string; anything else → string (<c>yes</c> stays a string).
/// </summary>
internal static partial class YamlValues
{
    public static bool IsPlain(YamlScalarNode s) =>
        s.Style is ScalarStyle.Plain or ScalarStyle.Any && !IsStringTag(s.Tag);

    private static bool IsStringTag(TagName tag) =>
        !tag.IsEmpty && !tag.IsNonSpecific && tag.Value is "tag:yaml.org,2002:str" or "!!str";

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode s && IsPlain(s) && (s.Value is null || s.Value is "" or "~" or "null" or "Null" or "NULL");

    public static JsonNode? ToJson(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (!IsPlain(s))
            return JsonValue.Create(v);
        if (IsNull(s))
            return null;
        if (v is "true" or "True" or "TRUE")
            return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE")
            return JsonValue.Create(false);
        if (TryInteger(v, out var l))
            return JsonValue.Create(l);
        if (FloatPattern().IsMatch(v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            return JsonValue.Create(d);
        return JsonValue.Create(v);
    }

    public static bool TryInteger(string v, out long value)
    {
        value = 0;
        if (v.StartsWith("0x", StringComparison.Ordinal))
            return long.TryParse(v.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        if (v.StartsWith("0o", StringComparison.Ordinal))
        {
            try
            {
                value = Convert.ToInt64(v[2..], 8);
                return true;
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                return false;
            }
        }

        return IntegerPattern().IsMatch(v) && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
