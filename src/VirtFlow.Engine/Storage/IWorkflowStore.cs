namespace VirtFlow.Engine.Storage;

/// <summary>
/// Durable state of the engine. SQLite (embedded default) and PostgreSQL (shared) implement it; each
/// creates and migrates its schema in <see cref="InitializeAsync"/>. All methods are safe to call
/// concurrently from several engines sharing the store.
/// </summary>
/// <remarks>
/// Shared semantics (the contract tests in <c>tests/VirtFlow.Engine.Tests/Storage/Contract</c> pin them for every store):
/// times are kept in UTC to the millisecond and come back with offset zero; a timestamp left at
/// <c>default</c> (instance created/updated, bookmark created, outbox created, journal at, inbox received, definition
/// created) is set to the store's clock; JSON is copied in and out (mutating a node never changes what is stored) and
/// round-trips by value (<see cref="System.Text.Json.Nodes.JsonNode.DeepEquals"/>; PostgreSQL's jsonb does not keep
/// object key order or number spelling, and refuses <c>\u0000</c> in strings); ties are broken by id (ordinal).
/// </remarks>
public interface IWorkflowStore : IAsyncDisposable
{
    /// <summary>Creates or migrates the schema. Idempotent.</summary>
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>
    /// Saves a commit atomically. Throws <see cref="ConcurrencyException"/> when the stored version is not
    /// <see cref="InstanceCommit.ExpectedVersion"/> (or the id exists on insert). Returns the new version.
    /// </summary>
    Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default);

    /// <summary>The instance as last committed, or null.</summary>
    Task<WorkflowInstance?> GetInstanceAsync(string instanceId, CancellationToken ct = default);

    /// <summary>
    /// The instance's <see cref="WorkflowInstance.Version"/> as last committed, or null when there is none: lets an engine
    /// that still holds the state it committed last go on from it without reading it back. A store answers without
    /// reading the state (the default reads the whole instance).
    /// </summary>
    async Task<long?> GetInstanceVersionAsync(string instanceId, CancellationToken ct = default) =>
        (await GetInstanceAsync(instanceId, ct).ConfigureAwait(false))?.Version;

    /// <summary>Instances matching every given filter, oldest (<see cref="WorkflowInstance.CreatedAt"/>) first, at most <see cref="InstanceQuery.Limit"/>.</summary>
    Task<IReadOnlyList<WorkflowInstance>> ListInstancesAsync(InstanceQuery query, CancellationToken ct = default);

    /// <summary>
    /// Running instances whose lease ran out before <paramref name="now"/>: their engine died. A Running instance with
    /// no lease at all is unowned and reported too (first). Ordered by lease, at most <paramref name="limit"/> ids.
    /// </summary>
    Task<IReadOnlyList<string>> FindOrphanedInstancesAsync(DateTimeOffset now, int limit, CancellationToken ct = default);

    /// <summary>The instance's bookmarks, oldest first.</summary>
    Task<IReadOnlyList<Bookmark>> GetBookmarksAsync(string instanceId, CancellationToken ct = default);

    /// <summary>Bookmarks waiting for an event with this key (exact, case-sensitive), through an index (no scan).</summary>
    Task<IReadOnlyList<Bookmark>> FindBookmarksByKeyAsync(string key, CancellationToken ct = default);

    /// <summary>Timer bookmarks due at or before <paramref name="now"/>, oldest first, at most <paramref name="limit"/>.</summary>
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

    /// <summary>Outbox messages not yet dispatched, oldest first (messages of one commit in their order there).</summary>
    Task<IReadOnlyList<OutboxMessage>> GetPendingOutboxAsync(int limit, CancellationToken ct = default);

    /// <summary>Marks a message sent (the broker confirmed). Unknown or already dispatched ids are ignored.</summary>
    Task MarkOutboxDispatchedAsync(string messageId, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Records a failed send: increments <see cref="OutboxMessage.Attempts"/>, keeps <paramref name="error"/>; it stays pending.</summary>
    Task MarkOutboxFailedAsync(string messageId, string error, CancellationToken ct = default);

    /// <summary>The instance's journal in commit order (rising <see cref="JournalEntry.Sequence"/>).</summary>
    Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken ct = default);

    /// <summary>Stores a definition by hash (no-op when present).</summary>
    Task SaveDefinitionAsync(StoredDefinition definition, CancellationToken ct = default);

    /// <summary>The definition with this hash, or null.</summary>
    Task<StoredDefinition?> GetDefinitionAsync(string hash, CancellationToken ct = default);
}

/// <summary>The instance changed since it was read (or already exists on insert): reload and retry.</summary>
public sealed class ConcurrencyException(string instanceId, long expectedVersion)
    : Exception($"instance {instanceId} was changed by someone else (expected version {expectedVersion})")
{
    /// <summary>The instance whose commit lost.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>The version the losing commit expected (0: it tried to insert).</summary>
    public long ExpectedVersion { get; } = expectedVersion;
}
