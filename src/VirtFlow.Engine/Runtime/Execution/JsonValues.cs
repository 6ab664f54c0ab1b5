using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>JSON helpers of the runtime: equality as a workflow author expects it, nodes made safe to share.</summary>
internal static class JsonValues
{
    /// <summary>Numbers by value (1 equals 1.0), the rest structurally.</summary>
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

    /// <summary>
    /// Walks a node once so that every object and array in it is built (a parsed node builds its children on first
    /// read): a shared node is then only read, from any thread, without building anything.
    /// </summary>
    public static JsonNode? Readable(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                for (var i = 0; i < o.Count; i++) Readable(o.GetAt(i).Value);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) Readable(a[i]);
                break;
        }
        return node;
    }
}
