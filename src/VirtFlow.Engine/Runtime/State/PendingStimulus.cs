using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.State;

/// <summary>
/// A stimulus accepted by a step (its bookmark removed, its inbox event consumed in the same commit)
/// but not yet delivered to the activity. Persisted, so a crash between the two never loses it.
/// </summary>
internal sealed class PendingStimulus
{
    public required string BookmarkName { get; init; }
    public string? Key { get; init; }
    public JsonNode? Payload { get; init; }
    public bool IsTimer { get; init; }
    public string? EventId { get; init; }
    public JsonObject? Data { get; init; }
}
