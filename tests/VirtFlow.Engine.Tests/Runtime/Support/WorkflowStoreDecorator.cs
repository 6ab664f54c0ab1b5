using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Tests.Runtime.Support;

/// <summary>Forwards everything to another store; override what a test needs to observe or delay.</summary>
public abstract class WorkflowStoreDecorator(IWorkflowStore inner) : IWorkflowStore
{
    public IWorkflowStore Inner { get; } = inner;

    public virtual Task InitializeAsync(CancellationToken ct = default) => Inner.InitializeAsync(ct);
    public virtual Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default) => Inner.CommitAsync(commit, ct);
    public virtual Task<WorkflowInstance?> GetInstanceAsync(string instanceId, CancellationToken ct = default) => Inner.GetInstanceAsync(instanceId, ct);

    public virtual Task<long?> GetInstanceVersionAsync(string instanceId, CancellationToken ct = default) => Inner.GetInstanceVersionAsync(instanceId, ct);
    public virtual Task<IReadOnlyList<WorkflowInstance>> ListInstancesAsync(InstanceQuery query, CancellationToken ct = default) => Inner.ListInstancesAsync(query, ct);
    public virtual Task<IReadOnlyList<string>> FindOrphanedInstancesAsync(DateTimeOffset now, int limit, CancellationToken ct = default) => Inner.FindOrphanedInstancesAsync(now, limit, ct);
    public virtual Task<IReadOnlyList<Bookmark>> GetBookmarksAsync(string instanceId, CancellationToken ct = default) => Inner.GetBookmarksAsync(instanceId, ct);
    public virtual Task<IReadOnlyList<Bookmark>> FindBookmarksByKeyAsync(string key, CancellationToken ct = default) => Inner.FindBookmarksByKeyAsync(key, ct);
    public virtual Task<IReadOnlyList<Bookmark>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct = default) => Inner.FindDueTimersAsync(now, limit, ct);
    public virtual Task<DateTimeOffset?> GetNextTimerDueAsync(CancellationToken ct = default) => Inner.GetNextTimerDueAsync(ct);
    public virtual Task<bool> TryAddInboxEventAsync(InboxEvent inboxEvent, CancellationToken ct = default) => Inner.TryAddInboxEventAsync(inboxEvent, ct);
    public virtual Task<IReadOnlyList<InboxEvent>> FindInboxEventsAsync(string key, CancellationToken ct = default) => Inner.FindInboxEventsAsync(key, ct);
    public virtual Task<IReadOnlyList<InboxEvent>> FindMatchableInboxEventsAsync(int limit, CancellationToken ct = default) => Inner.FindMatchableInboxEventsAsync(limit, ct);
    public virtual Task<int> PurgeInboxAsync(DateTimeOffset now, DateTimeOffset olderThan, CancellationToken ct = default) => Inner.PurgeInboxAsync(now, olderThan, ct);
    public virtual Task<IReadOnlyList<OutboxMessage>> GetPendingOutboxAsync(int limit, CancellationToken ct = default) => Inner.GetPendingOutboxAsync(limit, ct);
    public virtual Task MarkOutboxDispatchedAsync(string messageId, DateTimeOffset at, CancellationToken ct = default) => Inner.MarkOutboxDispatchedAsync(messageId, at, ct);
    public virtual Task MarkOutboxFailedAsync(string messageId, string error, CancellationToken ct = default) => Inner.MarkOutboxFailedAsync(messageId, error, ct);
    public virtual Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken ct = default) => Inner.GetJournalAsync(instanceId, ct);
    public virtual Task SaveDefinitionAsync(StoredDefinition definition, CancellationToken ct = default) => Inner.SaveDefinitionAsync(definition, ct);
    public virtual Task<StoredDefinition?> GetDefinitionAsync(string hash, CancellationToken ct = default) => Inner.GetDefinitionAsync(hash, ct);
    public virtual ValueTask DisposeAsync() => Inner.DisposeAsync();
}
