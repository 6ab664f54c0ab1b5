using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.State;

/// <summary>Reads the step executions out of an instance's state document (<c>WorkflowInstance.State</c>).</summary>
public static class InstanceSteps
{
    /// <summary>
    /// Every step execution, ordered as the workflow ran them: by start time, those not started yet last, ties in the
    /// order the runtime created them.
    /// </summary>
    public static IReadOnlyList<StepSnapshot> Read(JsonObject? state)
    {
        var document = StateJson.Read(state);
        return document.Steps
            .Select((entry, index) => (Snapshot: Snapshot(entry.Key, entry.Value), Seq: entry.Value.Seq, Index: index))
            .OrderBy(s => s.Snapshot.StartedAt ?? DateTimeOffset.MaxValue)
            .ThenBy(s => s.Seq)
            .ThenBy(s => s.Index)
            .Select(s => s.Snapshot)
            .ToList();
    }

    private static StepSnapshot Snapshot(string path, StepState step)
    {
        var error = step.Error ?? (step.Status.IsFinal() ? null : step.LastError);
        return new StepSnapshot(
            path,
            step.StepId,
            step.Type,
            step.Status.ToString().ToLowerInvariant(),
            step.Attempt,
            step.StartedAt,
            step.CompletedAt,
            error is null ? null : new StepErrorSnapshot(error.Message, error.Code, error.Step));
    }
}
