using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage;

/// <summary>
/// What a checkpoint changed in the state document (<see cref="WorkflowInstance.State"/>), so that a commit writes what
/// changed and not the whole document: <see cref="Header"/> is the document without its <c>steps</c> map's entries
/// (<c>"steps": {}</c>), <see cref="Steps"/> the entries of that map (execution path → that execution's state) to put,
/// or to remove when null. Entries not named keep what the store holds. The stores keep one row per entry.
/// </summary>
public sealed record StateDelta
{
    /// <summary>The document without the entries of its <c>steps</c> map (vars, and the runtime's other fields).</summary>
    public required JsonObject Header { get; init; }

    /// <summary>
    /// Entries of the <c>steps</c> map to put (the entry as UTF-8 JSON, an object) or remove (null), each path once. Bytes,
    /// as the runtime serializes an entry once and a store keeps it as it comes (no tree made between them).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, byte[]?>> Steps { get; init; } = [];

    /// <summary>An entry to put (<paramref name="entry"/>) or remove (null), for writers that hold the entry as a node.</summary>
    public static KeyValuePair<string, byte[]?> Entry(string path, JsonObject? entry) =>
        KeyValuePair.Create(path, entry is null ? null : StoreJson.WriteUtf8(entry));
}
