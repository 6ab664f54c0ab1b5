using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.State;

/// <summary>
/// A wait held by a step. <see cref="Id"/> is unique per instance and never reused, so a stale timer
/// (fired twice, or by two engines) is recognised. Names starting with <c>$</c> belong to the engine
/// (<c>$timeout</c>, <c>$retry</c>); the others to the activity.
/// </summary>
internal sealed class BookmarkState
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Key { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public JsonObject? Data { get; init; }

    public bool IsEngineOwned => Name.StartsWith('$');
}
