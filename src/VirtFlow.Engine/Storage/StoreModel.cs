using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage;

/// <summary>The life of an instance. Completed, Faulted and Cancelled are final.</summary>
public enum InstanceStatus
{
    /// <summary>Being executed (or was, by an engine that died: then its lease has run out).</summary>
    Running,

    /// <summary>Every branch waits on a bookmark (event, command result, timer).</summary>
    Suspended,
    Completed,
    Faulted,
    Cancelled,
}

/// <summary>
/// One workflow instance as stored. <see cref="State"/> is the runtime's document (variables, per-step
/// state); the store treats it as opaque JSON. <see cref="Version"/> implements optimistic concurrency:
/// every commit must name the version it read.
/// </summary>
public sealed record WorkflowInstance
{
    public required string Id { get; init; }
    public required string WorkflowName { get; init; }
    public int WorkflowVersion { get; init; } = 1;

    /// <summary>The hash of the exact definition the instance runs (see <see cref="StoredDefinition"/>).</summary>
    public required string DefinitionHash { get; init; }

    public InstanceStatus Status { get; init; } = InstanceStatus.Running;

    /// <summary>0 before the first commit; the store increments it on every commit.</summary>
    public long Version { get; init; }

    public string? CorrelationId { get; init; }
    public string? ParentInstanceId { get; init; }
    public string? ParentStepPath { get; init; }
    public JsonObject Input { get; init; } = new();
    public JsonObject? Output { get; init; }

    /// <summary>Why it faulted or was cancelled, in words that name the step (and disk/VM where relevant).</summary>
    public string? Fault { get; init; }

    public JsonObject State { get; init; } = new();
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>While an engine executes the instance: until when its claim holds. An expired lease on a Running instance means its engine died.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
    public string? LeaseOwner { get; init; }

    /// <summary>
    /// The resource this instance holds (its workflow's <c>lock:</c>, evaluated at start), or null. While the instance is
    /// Running or Suspended no other such instance may hold the same key: a commit that would make a second holder throws
    /// <see cref="Runtime.WorkflowLockedException"/> naming the first. Ending (any final status) releases it. A commit that
    /// gives null keeps the stored key.
    /// </summary>
    public string? LockKey { get; init; }

    public bool IsFinal => Status is InstanceStatus.Completed or InstanceStatus.Faulted or InstanceStatus.Cancelled;
}

/// <summary>A wait of a suspended step, indexed by <see cref="Key"/> (events) and <see cref="DueAt"/> (timers).</summary>
public sealed record Bookmark
{
    public required string Id { get; init; }
    public required string InstanceId { get; init; }
    public required string StepPath { get; init; }
    public required string Name { get; init; }
    public string? Key { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public JsonObject? Data { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// An event received by the engine (host event, command result, user event), de-duplicated by
/// <see cref="Id"/>. Until consumed by a bookmark it is kept (docs/rules.md#r4-early-events: an event that comes before its wait
/// is matched when the wait begins) until <see cref="ExpiresAt"/>.
/// </summary>
public sealed record InboxEvent
{
    public required string Id { get; init; }
    public required string Key { get; init; }
    public JsonNode? Payload { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? ConsumedAt { get; init; }
}

/// <summary>A command waiting to be sent (docs/rules.md#r1-outbox). Its <see cref="Id"/> is deterministic (docs/rules.md#r2-command-ids).</summary>
public sealed record OutboxMessage
{
    public required string Id { get; init; }
    public required string InstanceId { get; init; }
    public required string Destination { get; init; }
    public required string MessageType { get; init; }
    public required JsonObject Payload { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? DispatchedAt { get; init; }
    public string? LastError { get; init; }
}

/// <summary>One line of an instance's journal: step started/completed/faulted, progress, resume, fault, ...</summary>
public sealed record JournalEntry
{
    /// <summary>Assigned by the store (monotonic per store); 0 before it is saved.</summary>
    public long Sequence { get; init; }
    public required string InstanceId { get; init; }
    public DateTimeOffset At { get; init; }
    public string? StepPath { get; init; }

    /// <summary>E.g. <c>InstanceStarted</c>, <c>StepStarted</c>, <c>StepCompleted</c>, <c>StepFaulted</c>, <c>StepSuspended</c>, <c>Resumed</c>, <c>RecoveredAfterCrash</c>, <c>Progress</c>, <c>InstanceCompleted</c>.</summary>
    public required string Kind { get; init; }
    public string? Message { get; init; }
    public JsonNode? Data { get; init; }
}

/// <summary>A definition as an instance started with it, kept so a changed file never alters an instance in flight.</summary>
public sealed record StoredDefinition(string Hash, string Name, int Version, string CanonicalJson, DateTimeOffset CreatedAt);

/// <summary>
/// Everything one step of the runtime changes, saved in ONE transaction: the instance (checked against
/// <see cref="ExpectedVersion"/>), its bookmarks, the outbox, the journal and consumed inbox events.
/// </summary>
public sealed record InstanceCommit
{
    public required WorkflowInstance Instance { get; init; }

    /// <summary>The version read; 0 inserts a new instance (fails if the id exists).</summary>
    public long ExpectedVersion { get; init; }

    /// <summary>
    /// When true, all the instance's existing bookmarks are replaced by <see cref="Bookmarks"/>; else bookmarks are left
    /// as they are and <see cref="Bookmarks"/> are added (one with an existing id replaces it).
    /// </summary>
    public bool ReplaceBookmarks { get; init; } = true;

    /// <summary>Bookmarks of this instance (each must name <see cref="WorkflowInstance.Id"/>).</summary>
    public IReadOnlyList<Bookmark> Bookmarks { get; init; } = [];

    /// <summary>Commands to send. An id already in the outbox keeps its first row (a replay re-queues the same command).</summary>
    public IReadOnlyList<OutboxMessage> Outbox { get; init; } = [];

    /// <summary>Journal lines; the store assigns <see cref="JournalEntry.Sequence"/>.</summary>
    public IReadOnlyList<JournalEntry> Journal { get; init; } = [];

    /// <summary>Inbox events this step consumed (marked with the store's clock; unknown or already consumed ids are ignored).</summary>
    public IReadOnlyList<string> ConsumedInboxEventIds { get; init; } = [];

    /// <summary>
    /// When set, the state document changes by this delta and <see cref="WorkflowInstance.State"/> of <see cref="Instance"/>
    /// is ignored (a checkpoint writes what changed); when null, <see cref="WorkflowInstance.State"/> replaces the whole document.
    /// </summary>
    public StateDelta? StateChanges { get; init; }
}

/// <summary>Filter for listing instances.</summary>
public sealed record InstanceQuery(InstanceStatus? Status = null, string? WorkflowName = null, string? CorrelationId = null, int Limit = 100);
