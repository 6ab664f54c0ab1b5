using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>A bookmark hit, as found through the store's indexes: an event for a key, or a due timer.</summary>
internal sealed record StimulusRequest(
    string StepPath,
    string BookmarkId,
    string BookmarkName,
    string? Key,
    bool IsTimer,
    string? EventId,
    JsonNode? Payload);
