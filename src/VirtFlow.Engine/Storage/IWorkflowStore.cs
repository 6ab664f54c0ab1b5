namespace VirtFlow.Engine.Storage;

/// <summary>
/// Durable state of the engine. SQLite (embedded default) and PostgreSQL (shared) implement it; each
/// creates and migrates its schema in <see cref="InitializeAsync"/>. All methods are safe to call
/// concurrently from several engines sharing the store.
/// </summary>
public interface IWorkflowStore : IAsyncDisposable
{
    /// <summary>Creates or migrates the schema. Idempotent.</summary>
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>
    /// Saves a commit atomically. Throws <see cref="ConcurrencyException"/> when the stored version is not
    /// <see cref="InstanceCommit.ExpectedVersion"/> (or the id exists on insert). Returns the new version.
    /// </summary>
    Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default);

    Task<WorkflowInstance?> GetInstanceAsync(string instanceId, CancellationToken ct = default);
    Task<IReadOnlyList<WorkflowInstance>> ListInstancesAsync(InstanceQuery query, CancellationToken ct = default);

    /// <summary>Running instances whose lease ran out before <paramref name="now"/>: their engine died.</summary>
    Task<IReadOnlyList<string>> FindOrphanedInstancesAsync(DateTimeOffset now, int limit, CancellationToken ct = default);

    Task<IReadOnlyList<Bookmark>> GetBookmarksAsync(string instanceId, CancellationToken ct = default);

    /// <summary>Bookmarks waiting for an event with this key, through an index (no scan).</summary>
    Task<IReadOnlyList<Bookmark>> FindBookmarksByKeyAsync(string key, CancellationToken ct = default);

    /// <summary>Timer bookmarks due at or before <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<Bookmark>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct = default);

    /// <summary>The earliest due time of any timer bookmark, or null.</summary>
    Task<DateTimeOffset?> GetNextTimerDueAsync(CancellationToken ct = default);

    /// <summary>Stores an event unless its id was seen before. Returns false for a duplicate.</summary>
    Task<bool> TryAddInboxEventAsync(InboxEvent inboxEvent, CancellationToken ct = default);

    /// <summary>Unconsumed, unexpired events with this key, oldest first.</summary>
    Task<IReadOnlyList<InboxEvent>> FindInboxEventsAsync(string key, CancellationToken ct = default);

    /// <summary>Unconsumed, unexpired events for which a bookmark with the same key exists (the sweep that closes the race between a wait and its event).</summary>
    Task<IReadOnlyList<InboxEvent>> FindMatchableInboxEventsAsync(int limit, CancellationToken ct = default);

    /// <summary>Deletes expired inbox events and consumed ones older than <paramref name="olderThan"/>.</summary>
    Task<int> PurgeInboxAsync(DateTimeOffset now, DateTimeOffset olderThan, CancellationToken ct = default);

    /// <summary>Outbox messages not yet dispatched, oldest first.</summary>
    Task<IReadOnlyList<OutboxMessage>> GetPendingOutboxAsync(int limit, CancellationToken ct = default);

    Task MarkOutboxDispatchedAsync(string messageId, DateTimeOffset at, CancellationToken ct = default);
    Task MarkOutboxFailedAsync(string messageId, string error, CancellationToken ct = default);

    Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken ct = default);

    /// <summary>Stores a definition by hash (no-op when present).</summary>
    Task SaveDefinitionAsync(StoredDefinition definition, CancellationToken ct = default);
    Task<StoredDefinition?> GetDefinitionAsync(string hash, CancellationToken ct = default);
}

/// <summary>The instance changed since it was read (or already exists on insert): reload and retry.</summary>
public sealed class ConcurrencyException(string instanceId, long expectedVersion)
    : Exception($"instance {instanceId} was changed by someone else (expected version {expectedVersion})")
{
    public string InstanceId { get; } = instanceId;
    public long ExpectedVersion { get; } = expectedVersion;
}
