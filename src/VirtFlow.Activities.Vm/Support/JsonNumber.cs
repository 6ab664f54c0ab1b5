using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Activities.Vm.Support;

/// <summary>Numbers out of JSON values, whatever CLR type backs them (an <c>int</c> default, a parsed element, a <c>long</c>).</summary>
internal static class JsonNumber
{
    public static bool TryGetDouble(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) return false;
        if (v.TryGetValue(out value)) return true;
        if (v.TryGetValue(out long l)) value = l;
        else if (v.TryGetValue(out int i)) value = i;
        else if (v.TryGetValue(out decimal m)) value = (double)m;
        else return double.TryParse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out value);
        return true;
    }

    /// <summary>A whole number, or null when the node is not a number.</summary>
    public static long? Long(JsonNode? node) => TryGetDouble(node, out var d) ? (long)d : null;
}
