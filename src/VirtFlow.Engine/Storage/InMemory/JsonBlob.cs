using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage.InMemory;

/// <summary>
/// JSON as the in-memory store keeps it: UTF-8 bytes, as a durable store keeps text. A tree of nodes costs about ten
/// times its text on the heap; the bytes are also a private copy by nature (every read parses a new tree).
/// </summary>
internal static class JsonBlob
{
    public static byte[]? Write(JsonNode? node) => node is null ? null : StoreJson.WriteUtf8(node);

    public static JsonNode? Read(byte[]? bytes) => bytes is null ? null : StoreJson.ReadUtf8(bytes);

    public static JsonObject ReadObject(byte[] bytes) => Read(bytes) as JsonObject ?? new JsonObject();
}
