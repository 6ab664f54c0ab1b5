using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>JSON equality as a workflow author expects it: numbers by value (1 equals 1.0), the rest structurally.</summary>
internal static class JsonValues
{
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        if (a is JsonValue va && b is JsonValue vb
            && va.GetValueKind() == JsonValueKind.Number && vb.GetValueKind() == JsonValueKind.Number)
        {
            return Number(va) == Number(vb);
        }
        return JsonNode.DeepEquals(a, b);
    }

    private static double Number(JsonValue v) =>
        double.Parse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
}
