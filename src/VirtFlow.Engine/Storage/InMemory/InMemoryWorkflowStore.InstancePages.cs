using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage.Paging;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IInstanceListStore
{
    /// <inheritdoc />
    public Task<InstancePage> ListInstancePageAsync(InstancePageQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var since = StoreTime.Normalize(query.Since);
        var until = StoreTime.Normalize(query.Until);
        lock (_gate)
        {
            var rows = _instances.Values
                .Select(Summary)
                .Where(i => query.Status is null || i.Status == query.Status)
                .Where(i => query.WorkflowName is null || i.WorkflowName == query.WorkflowName)
                .Where(i => query.Vm is null || i.Vm == query.Vm)
                .Where(i => query.Host is null || i.Host == query.Host)
                .Where(i => since is null || i.CreatedAt >= since)
                .Where(i => until is null || i.CreatedAt < until)
                .Where(i => query.After is not { } after || Before(i, after))
                .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id, StringComparer.Ordinal)
                .Take(query.Limit + 1)
                .ToList();
            return Task.FromResult(InstancePage.From(rows, query.Limit));
        }
    }

    /// <summary>Whether <paramref name="i"/> comes after the cursor in the newest-first order.</summary>
    private static bool Before(InstanceSummary i, InstanceCursor after)
    {
        var at = StoreTime.Normalize(after.CreatedAt);
        return i.CreatedAt < at || (i.CreatedAt == at && string.CompareOrdinal(i.Id, after.Id) < 0);
    }

    private static InstanceSummary Summary(Kept kept)
    {
        var i = kept.Instance;
        return new InstanceSummary
        {
            Id = i.Id,
            WorkflowName = i.WorkflowName,
            WorkflowVersion = i.WorkflowVersion,
            Status = i.Status,
            CorrelationId = i.CorrelationId,
            Vm = kept.Vm,
            Host = kept.Host,
            Fault = i.Fault,
            CreatedAt = i.CreatedAt,
            UpdatedAt = i.UpdatedAt,
        };
    }

    private static string? StringInput(JsonObject input, string name) =>
        input[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
