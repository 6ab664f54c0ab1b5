namespace VirtFlow.Engine.Storage.Paging;

/// <summary>
/// Lists instances a page at a time, filtered on the server: newest first (<see cref="WorkflowInstance.CreatedAt"/>
/// descending, then id descending), each page through an index range scan (status, workflow, vm and host each have an
/// index on (column, created_at, id)). Implemented by the SQLite, PostgreSQL and in-memory stores.
/// </summary>
public interface IInstanceListStore
{
    /// <summary>
    /// At most <see cref="InstancePageQuery.Limit"/> instances matching every given filter, after
    /// <see cref="InstancePageQuery.After"/>; <see cref="InstancePage.Next"/> is set when more may follow.
    /// </summary>
    Task<InstancePage> ListInstancePageAsync(InstancePageQuery query, CancellationToken ct = default);
}
