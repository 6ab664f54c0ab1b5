using VirtFlow.Engine.Definitions;

namespace VirtFlow.Hosting.Catalog;

/// <summary>
/// The steps two definitions differ in, by id: added (only in the new one), removed (only in the old one), changed (in
/// both, with another canonical JSON: <see cref="DefinitionJson.CanonicalStep"/>, its children included, so a step whose
/// child changed is changed too).
/// </summary>
public static class StepDiff
{
    public static StepChanges Compare(WorkflowDefinition from, WorkflowDefinition to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var before = Canonical(from);
        var after = Canonical(to);
        return new StepChanges(
            [.. after.Where(s => !before.ContainsKey(s.Key)).Select(s => s.Key)],
            [.. before.Where(s => !after.ContainsKey(s.Key)).Select(s => s.Key)],
            [.. after.Where(s => before.TryGetValue(s.Key, out var old) && old != s.Value).Select(s => s.Key)]);
    }

    /// <summary>Step id → canonical JSON, in file order (ids are unique in a valid definition; a repeat keeps the first).</summary>
    private static OrderedDictionary<string, string> Canonical(WorkflowDefinition definition)
    {
        var steps = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var step in StepGraph.Flatten(definition.Steps)) steps.TryAdd(step.Id, DefinitionJson.CanonicalStep(step));
        return steps;
    }
}

/// <summary>Step ids added, removed and changed, each in file order.</summary>
public sealed record StepChanges(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Changed);
