using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.Support;

/// <summary>Short JSON text for journals and messages (long values are cut).</summary>
internal static class JsonSummary
{
    public static string Of(JsonNode? node, int max = 200)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length <= max ? text : text[..max] + "…";
    }

    /// <summary>A journal-sized copy of outputs: every string longer than <paramref name="maxString"/> is cut.</summary>
    public static JsonNode? Trim(JsonNode? node, int maxString = 200) => node switch
    {
        null => null,
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Trim(kv.Value, maxString)))),
        JsonArray a => a.Count > 50
            ? new JsonArray(a.Take(50).Select(x => Trim(x, maxString)).Append(JsonValue.Create($"… {a.Count - 50} more")).ToArray())
            : new JsonArray(a.Select(x => Trim(x, maxString)).ToArray()),
        JsonValue v when v.TryGetValue(out string? s) && s.Length > maxString => JsonValue.Create(s[..maxString] + "…"),
        _ => node.DeepClone(),
    };
}
