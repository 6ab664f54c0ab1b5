using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Server;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// What <see cref="RunReport"/> reports about an instance, wherever it ran: read from the store (<c>run</c>, <c>resume</c>)
/// or answered by a server over the bus (<c>start --wait</c>).
/// </summary>
internal sealed record RunOutcome(
    string Id, string Workflow, InstanceStatus Status, JsonObject? Outputs, string? Fault, DateTimeOffset StartedAt, DateTimeOffset? EndedAt)
{
    public bool IsFinal => Status is InstanceStatus.Completed or InstanceStatus.Faulted or InstanceStatus.Cancelled;

    public static RunOutcome From(WorkflowInstance instance) => new(
        instance.Id, instance.WorkflowName, instance.Status, instance.Output, instance.Fault, instance.CreatedAt, instance.IsFinal ? instance.UpdatedAt : null);

    /// <summary>A server's answer; null when it names no instance the engine knows (not found).</summary>
    public static RunOutcome? From(WorkflowStatus status)
    {
        if (!Enum.TryParse<InstanceStatus>(status.Status, ignoreCase: false, out var s)) return null;
        var outcome = new RunOutcome(status.InstanceId, status.Workflow, s, WorkflowEventMessages.Object(status.OutputsJson), status.Fault,
            status.StartedAt ?? status.UpdatedAt ?? default, null);
        return outcome.IsFinal ? outcome with { EndedAt = status.UpdatedAt } : outcome;
    }
}
