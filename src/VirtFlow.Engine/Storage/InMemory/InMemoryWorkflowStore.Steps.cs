using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    /// <summary>Instance id → its state document's <c>steps</c> entries (the instance's State holds the header).</summary>
    private readonly Dictionary<string, Dictionary<string, JsonObject>> _steps = new(StringComparer.Ordinal);

    /// <summary>Applies the commit's state (a delta, or a whole document) under the lock; returns the header to keep.</summary>
    private JsonObject ApplyState(InstanceCommit commit)
    {
        var id = commit.Instance.Id;
        var (header, entries, replace) = StateDocument.Of(commit);
        if (!_steps.TryGetValue(id, out var rows) || replace) _steps[id] = rows = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (path, entry) in entries)
        {
            if (entry is null) rows.Remove(path);
            else rows[path] = replace ? entry : Copy(entry);
        }
        return replace ? header : Copy(header);
    }

    /// <summary>The whole document: a copy of the header with the rows in its <c>steps</c> object.</summary>
    private JsonObject AssembleState(WorkflowInstance stored)
    {
        var document = Copy(stored.State);
        if (!StateDocument.HasSteps(document) || !_steps.TryGetValue(stored.Id, out var rows)) return document;
        var steps = (JsonObject)document[StateDocument.StepsKey]!;
        foreach (var (path, entry) in rows) steps[path] = Copy(entry);
        return document;
    }
}
