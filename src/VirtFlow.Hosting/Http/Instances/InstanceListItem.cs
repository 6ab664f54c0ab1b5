using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Paging;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>An instance in a list (<c>GET /api/instances</c>).</summary>
public sealed record InstanceListItem(
    string Id,
    string Workflow,
    int Version,
    InstanceStatus Status,
    string? CorrelationId,
    string? Vm,
    string? Host,
    string? Fault,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static InstanceListItem From(InstanceSummary s) =>
        new(s.Id, s.WorkflowName, s.WorkflowVersion, s.Status, s.CorrelationId, s.Vm, s.Host, s.Fault, s.CreatedAt, s.UpdatedAt);
}

/// <summary>A page of instances, newest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next (null: none follows).</summary>
public sealed record InstanceList(IReadOnlyList<InstanceListItem> Items, string? NextCursor);
