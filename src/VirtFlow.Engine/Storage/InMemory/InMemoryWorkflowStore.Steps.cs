using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    /// <summary>Applies the commit's state (a delta, or a whole document) to what is kept of the instance (under the lock).</summary>
    private static void ApplyState(InstanceCommit commit, InstanceJson json)
    {
        var (header, entries, replace) = StateDocument.Of(commit);
        if (replace) json.Rows = new StepRows();
        foreach (var (path, entry) in entries)
        {
            if (entry is null) json.Rows.Remove(path);
            else json.Rows.Set(path, (byte[])entry.Clone()); // the caller's bytes stay the caller's
        }
        json.Header = JsonBlob.Write(header)!;
    }

    /// <summary>The whole document: the header with the rows in its <c>steps</c> object (new nodes: the caller's own).</summary>
    private static JsonObject AssembleState(InstanceJson json)
    {
        var document = JsonBlob.ReadObject(json.Header);
        if (!StateDocument.HasSteps(document)) return document;
        var steps = (JsonObject)document[StateDocument.StepsKey]!;
        foreach (var (path, entry) in json.Rows.All()) steps[path] = JsonBlob.Read(entry);
        return document;
    }
}
