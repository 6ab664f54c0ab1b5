using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime.State;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>One instance (<c>GET /api/instances/{id}</c>) with the state of each step, ordered as the workflow ran them.</summary>
public sealed record InstanceDetail(
    string Id,
    string Workflow,
    int Version,
    InstanceStatus Status,
    string? CorrelationId,
    string? ParentInstanceId,
    JsonObject Inputs,
    JsonObject? Outputs,
    string? Fault,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<StepDetail> Steps)
{
    /// <summary>The schedule that started the instance (<c>{workflow}:{id}</c>), or null.</summary>
    public string? ScheduleId { get; init; }

    /// <summary>The scheduled time of the firing that started it (not when it ran), or null.</summary>
    public DateTimeOffset? ScheduledTime { get; init; }

    /// <summary>
    /// The instance, its steps from its state document, and each step's last progress per disk from <paramref name="progress"/>
    /// (the store's last <c>Progress</c> line of each step and disk, or any part of the journal that holds them).
    /// </summary>
    internal static InstanceDetail From(WorkflowInstance i, IReadOnlyList<JournalEntry> progress)
    {
        var latest = StepProgress.Latest(progress);
        var steps = InstanceSteps.Read(i.State)
            .Select(s => StepDetail.From(s, latest.TryGetValue(s.Path, out var p) ? p : null))
            .ToList();
        return new InstanceDetail(i.Id, i.WorkflowName, i.WorkflowVersion, i.Status, i.CorrelationId, i.ParentInstanceId,
            i.Input, i.Output, i.Fault, i.CreatedAt, i.UpdatedAt, steps);
    }
}

/// <summary>
/// One execution of a step: its path (<c>loop[2]/copy</c>), id, type, status (pending, running, suspended, completed,
/// faulted, skipped, cancelled), attempts, times, error, and, where the step reports progress, the last report per disk.
/// </summary>
public sealed record StepDetail(
    string Path,
    string Id,
    string Type,
    string Status,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    StepErrorSnapshot? Error,
    IReadOnlyList<JsonObject>? Progress)
{
    internal static StepDetail From(StepSnapshot s, IReadOnlyList<JsonObject>? progress) =>
        new(s.Path, s.StepId, s.Type, s.Status, s.Attempts, s.StartedAt, s.CompletedAt, s.Error, progress);
}
