using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    /// <summary>A commit's state as kept: the header's bytes, the rows to put (a copy of their bytes) or remove, and whether it replaces them all.</summary>
    private sealed record PreparedState(byte[] Header, List<KeyValuePair<string, byte[]?>> Rows, bool Replace);

    /// <summary>The commit's state (a delta, or a whole document split), made before the lock (writing it can fail).</summary>
    private static PreparedState PrepareState(InstanceCommit commit)
    {
        var (header, entries, replace) = StateDocument.Of(commit);
        // the caller's bytes stay the caller's
        var rows = entries.Select(e => KeyValuePair.Create(e.Key, e.Value is null ? null : (byte[])e.Value.Clone())).ToList();
        return new PreparedState(JsonBlob.Write(header)!, rows, replace);
    }

    /// <summary>Applies a prepared state to what is kept of the instance (under the lock; nothing here can fail).</summary>
    private static void ApplyState(PreparedState state, Kept kept)
    {
        if (state.Replace) kept.Rows = default;
        foreach (var (path, entry) in state.Rows)
        {
            if (entry is null) kept.Rows.Remove(path);
            else kept.Rows.Set(path, entry);
        }
        kept.Header = state.Header;
    }

    /// <summary>The whole document: the header with the rows in its <c>steps</c> object (new nodes: the caller's own).</summary>
    private static JsonObject AssembleState(Kept kept)
    {
        var document = JsonBlob.ReadObject(kept.Header);
        if (!StateDocument.HasSteps(document)) return document;
        var steps = (JsonObject)document[StateDocument.StepsKey]!;
        foreach (var (path, entry) in kept.Rows.All()) steps[path] = JsonBlob.Read(entry);
        return document;
    }
}
