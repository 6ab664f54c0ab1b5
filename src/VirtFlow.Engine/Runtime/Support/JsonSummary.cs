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
    public static JsonNode? Trim(JsonNode? node, int maxString = 200)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject o:
                var copy = new JsonObject();
                for (var i = 0; i < o.Count; i++)
                {
                    var (key, value) = o.GetAt(i);
                    copy.Add(key, Trim(value, maxString));
                }
                return copy;
            case JsonArray a:
                var items = new JsonArray();
                for (var i = 0; i < Math.Min(a.Count, MaxItems); i++) items.Add(Trim(a[i], maxString));
                if (a.Count > MaxItems) items.Add(JsonValue.Create($"… {a.Count - MaxItems} more"));
                return items;
            case JsonValue v when v.TryGetValue(out string? s) && s.Length > maxString:
                return JsonValue.Create(s[..maxString] + "…");
            default:
                return node.DeepClone();
        }
    }

    /// <summary>Items of an array kept by <see cref="Trim"/>; the rest are counted.</summary>
    private const int MaxItems = 50;
}
