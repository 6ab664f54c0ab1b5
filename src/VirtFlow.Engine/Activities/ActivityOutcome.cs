using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Activities;

/// <summary>What an activity attempt ended with: completed, faulted, or suspended on bookmarks.</summary>
public abstract record ActivityOutcome
{
    private ActivityOutcome() { }

    public static ActivityOutcome Complete(JsonObject? outputs = null) => new Completed(outputs ?? new JsonObject());

    /// <summary>A fault. <paramref name="code"/> is a stable machine-readable reason (e.g. <c>Timeout</c>, <c>QmpError</c>).</summary>
    public static ActivityOutcome Fault(string message, string? code = null, JsonNode? details = null) => new Faulted(message, code, details);

    public static ActivityOutcome Suspend(params BookmarkRequest[] bookmarks) => new Suspended(bookmarks);

    public static ActivityOutcome Suspend(IReadOnlyList<BookmarkRequest> bookmarks) => new Suspended(bookmarks);

    public sealed record Completed(JsonObject Outputs) : ActivityOutcome;

    public sealed record Faulted(string Message, string? Code, JsonNode? Details) : ActivityOutcome;

    /// <summary>Waits until one of <see cref="Bookmarks"/> is hit. These replace the step's earlier bookmarks.</summary>
    public sealed record Suspended(IReadOnlyList<BookmarkRequest> Bookmarks) : ActivityOutcome;
}

/// <summary>
/// A wait: for an event whose key equals <see cref="Key"/>, and/or until <see cref="DueAt"/> (a timer).
/// <see cref="Name"/> tells the activity which of its waits was hit. An event with this key that
/// arrived before the bookmark existed (kept in the inbox) hits it at once.
/// </summary>
public sealed record BookmarkRequest(string Name, string? Key = null, DateTimeOffset? DueAt = null, JsonObject? Data = null);

/// <summary>What woke a suspended activity.</summary>
/// <param name="BookmarkName">The <see cref="BookmarkRequest.Name"/> that was hit.</param>
/// <param name="Key">The event key, null for a timer.</param>
/// <param name="Payload">The event's payload, null for a timer.</param>
/// <param name="IsTimer">True when the bookmark's <see cref="BookmarkRequest.DueAt"/> passed.</param>
/// <param name="EventId">The event's id (for de-duplication), null for a timer.</param>
/// <param name="Data">The <see cref="BookmarkRequest.Data"/> given when the bookmark was made.</param>
public sealed record ActivityStimulus(string BookmarkName, string? Key, JsonNode? Payload, bool IsTimer, string? EventId, JsonObject? Data);
