using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Expressions;

/// <summary>Reads numbers out of <see cref="JsonValue"/>s whatever CLR type backs them (parsed JSON, long, int, double...).</summary>
internal static class JsonNumbers
{
    public static bool TryGetDouble(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            return false;
        if (v.TryGetValue(out value))
            return true;
        if (v.TryGetValue<long>(out var l))
            value = l;
        else if (v.TryGetValue<int>(out var i))
            value = i;
        else if (v.TryGetValue<decimal>(out var m))
            value = (double)m;
        else if (v.TryGetValue<float>(out var f))
            value = f;
        else if (v.TryGetValue<uint>(out var ui))
            value = ui;
        else if (v.TryGetValue<ulong>(out var ul))
            value = ul;
        else if (v.TryGetValue<short>(out var sh))
            value = sh;
        else if (v.TryGetValue<byte>(out var b))
            value = b;
        else
            return double.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
        return true;
    }

    /// <summary>True for a JSON number with no fractional part.</summary>
    public static bool IsInteger(JsonNode? node) =>
        TryGetDouble(node, out var d) && Math.Abs(d % 1) < double.Epsilon && !double.IsInfinity(d);

    /// <summary>A JSON number for a double: integral values within ±2^53 as <see cref="long"/> (so they print as <c>3</c> and read back as ints).</summary>
    public static JsonValue Create(double d) =>
        d % 1 == 0 && Math.Abs(d) <= 9007199254740992d ? JsonValue.Create((long)d) : JsonValue.Create(d);
}
