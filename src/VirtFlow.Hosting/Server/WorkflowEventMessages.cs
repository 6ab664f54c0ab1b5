using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Server;

/// <summary>
/// The engine's live events as bus messages and back: the server publishes <see cref="ToMessage"/>, a client turns what
/// it receives back into the same <see cref="EngineEvent"/>s (<see cref="ToEngineEvent(WorkflowProgress)"/>), so
/// <c>virtflow start --wait</c> shows exactly what <c>virtflow run</c> shows.
/// </summary>
public static class WorkflowEventMessages
{
    /// <summary>A <see cref="WorkflowStatusChanged"/> or a <see cref="WorkflowProgress"/>; null for an event not published.</summary>
    public static object? ToMessage(EngineEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            InstanceStatusChanged s => new WorkflowStatusChanged
            {
                InstanceId = s.InstanceId,
                Workflow = s.WorkflowName,
                Status = s.Status.ToString(),
                Fault = s.Fault,
                OutputsJson = s.Output?.ToJsonString(),
                At = s.At,
            },
            StepStarted s => Progress(s, s.StepPath, s.StepId, WorkflowProgressKinds.StepStarted) with
            {
                ActivityType = s.ActivityType,
                Attempt = s.Attempt,
                Resumed = s.Resumed,
            },
            StepSuspended s => Progress(s, s.StepPath, s.StepId, WorkflowProgressKinds.StepSuspended) with { Bookmarks = s.Bookmarks.ToArray() },
            StepCompleted s => Progress(s, s.StepPath, s.StepId, WorkflowProgressKinds.StepCompleted) with { DataJson = s.Outputs?.ToJsonString() },
            StepFaulted s => Progress(s, s.StepPath, s.StepId, WorkflowProgressKinds.StepFaulted) with
            {
                Message = s.Message,
                Code = s.Code,
                WillRetry = s.WillRetry,
            },
            ProgressReported p => Progress(p, p.StepPath, p.StepId, WorkflowProgressKinds.Progress) with { DataJson = p.Data.ToJsonString() },
            _ => null,
        };
    }

    /// <summary>The engine event a <see cref="WorkflowProgress"/> was made from; null for an unknown kind.</summary>
    public static EngineEvent? ToEngineEvent(WorkflowProgress m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return m.Kind switch
        {
            WorkflowProgressKinds.StepStarted => new StepStarted(m.InstanceId, m.Workflow, m.At, m.StepPath, m.StepId, m.ActivityType ?? "", m.Attempt, m.Resumed),
            WorkflowProgressKinds.StepSuspended => new StepSuspended(m.InstanceId, m.Workflow, m.At, m.StepPath, m.StepId, m.Bookmarks),
            WorkflowProgressKinds.StepCompleted => new StepCompleted(m.InstanceId, m.Workflow, m.At, m.StepPath, m.StepId, Object(m.DataJson)),
            WorkflowProgressKinds.StepFaulted => new StepFaulted(m.InstanceId, m.Workflow, m.At, m.StepPath, m.StepId, m.Message ?? "", m.Code, m.WillRetry),
            WorkflowProgressKinds.Progress => new ProgressReported(m.InstanceId, m.Workflow, m.At, m.StepPath, m.StepId, Object(m.DataJson) ?? new JsonObject()),
            _ => null,
        };
    }

    /// <summary>The engine event a <see cref="WorkflowStatusChanged"/> was made from; null for a status the engine does not have (Rejected).</summary>
    public static EngineEvent? ToEngineEvent(WorkflowStatusChanged m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return Enum.TryParse<InstanceStatus>(m.Status, ignoreCase: false, out var status)
            ? new InstanceStatusChanged(m.InstanceId, m.Workflow, m.At, status, m.Fault, Object(m.OutputsJson))
            : null;
    }

    /// <summary>The answer to <see cref="GetWorkflowStatus"/> for a stored instance (null: not found).</summary>
    public static WorkflowStatus ToStatus(string instanceId, WorkflowInstance? instance) => instance is null
        ? new WorkflowStatus { InstanceId = instanceId, Status = WorkflowStatuses.NotFound }
        : new WorkflowStatus
        {
            InstanceId = instance.Id,
            Workflow = instance.WorkflowName,
            Status = instance.Status.ToString(),
            Fault = instance.Fault,
            OutputsJson = instance.Output?.ToJsonString(),
            StartedAt = instance.CreatedAt,
            UpdatedAt = instance.UpdatedAt,
        };

    /// <summary>A JSON object's text read back; null when absent or not an object.</summary>
    public static JsonObject? Object(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static WorkflowProgress Progress(EngineEvent e, string path, string stepId, string kind) => new()
    {
        InstanceId = e.InstanceId,
        Workflow = e.WorkflowName,
        Kind = kind,
        StepPath = path,
        StepId = stepId,
        At = e.At,
    };
}
