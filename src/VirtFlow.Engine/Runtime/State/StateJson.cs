using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VirtFlow.Engine.Runtime.State;

/// <summary>Source-generated (de)serialization of the state document.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(InstanceState))]
internal sealed partial class StateJsonContext : JsonSerializerContext;

/// <summary>Converts the state document from and to the JSON object the store keeps.</summary>
internal static class StateJson
{
    public static InstanceState Read(JsonObject? json) =>
        json is null || json.Count == 0
            ? new InstanceState()
            : json.Deserialize(StateJsonContext.Default.InstanceState) ?? new InstanceState();

    public static JsonObject Write(InstanceState state) =>
        JsonSerializer.SerializeToNode(state, StateJsonContext.Default.InstanceState)!.AsObject();
}
