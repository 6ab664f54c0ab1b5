using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.Support;

/// <summary>
/// The size of inputs as compact JSON in UTF-8 (strings and names counted unescaped), measured without writing them out
/// and without recursion, stopping as soon as it passes a limit.
/// </summary>
internal static class InputSize
{
    /// <summary>The size of <paramref name="node"/>, or a number past <paramref name="max"/> as soon as it is known to be larger.</summary>
    public static long Of(JsonNode? node, long max)
    {
        long size = 0;
        var pending = new Stack<JsonNode?>();
        pending.Push(node);
        while (pending.TryPop(out var next) && size <= max)
        {
            switch (next)
            {
                case null:
                    size += 4;
                    break;
                case JsonObject obj:
                    size += 2 + Math.Max(0, obj.Count - 1);
                    foreach (var (name, value) in obj)
                    {
                        size += Encoding.UTF8.GetByteCount(name) + 3;
                        pending.Push(value);
                    }
                    break;
                case JsonArray array:
                    size += 2 + Math.Max(0, array.Count - 1);
                    foreach (var item in array)
                        pending.Push(item);
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    size += Encoding.UTF8.GetByteCount(value.GetValue<string>()) + 2;
                    break;
                default:
                    size += next.ToJsonString().Length;
                    break;
            }
        }
        return size;
    }
}
