using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VirtFlow.Qmp;

/// <summary>JSON settings of the typed helpers: QMP's kebab-case names, nulls left out.</summary>
internal static class QmpJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads a reply into <typeparamref name="T"/>, or throws a protocol error naming the command.</summary>
    public static T Read<T>(JsonNode node, string command)
    {
        try
        {
            return node.Deserialize<T>(Options) ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new QmpException(QmpErrorClasses.Protocol, $"unexpected reply shape ({typeof(T).Name}): {e.Message}", command);
        }
    }

    /// <summary>Writes <paramref name="value"/> as a QMP arguments object.</summary>
    public static JsonObject Write<T>(T value) =>
        JsonSerializer.SerializeToNode(value, Options) as JsonObject ?? throw new InvalidOperationException("not an object");
}
