using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage;

/// <summary>JSON as the stores write and read it: compact text, non-ASCII kept as is (no HTML escaping: never rendered).</summary>
internal static class StoreJson
{
    internal static readonly JsonSerializerOptions WriteOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
        MaxDepth = 256,
    };

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    public static string Write(JsonNode node) => node.ToJsonString(WriteOptions);

    public static string? WriteOrNull(JsonNode? node) => node is null ? null : Write(node);

    /// <summary>The same JSON as <see cref="Write"/>, as UTF-8 bytes.</summary>
    public static byte[] WriteUtf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, WriteOptions);

    /// <summary>Reads UTF-8 JSON written by <see cref="WriteUtf8"/> (a new tree: the caller's own).</summary>
    public static JsonNode? ReadUtf8(ReadOnlySpan<byte> utf8) => JsonNode.Parse(utf8, NodeOptions, DocumentOptions);

    public static JsonNode? Read(string? text) =>
        text is null ? null : JsonNode.Parse(text, NodeOptions, DocumentOptions);

    public static JsonObject ReadObject(string text) =>
        Read(text) as JsonObject ?? throw new InvalidDataException("stored JSON is not an object: " + Truncate(text));

    public static JsonObject? ReadObjectOrNull(string? text) => text is null ? null : ReadObject(text);

    /// <summary>A private copy, so a caller mutating its node never changes what a store holds (or the reverse).</summary>
    public static T? Clone<T>(T? node) where T : JsonNode => (T?)node?.DeepClone();

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
