using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.State;

/// <summary>
/// The persisted state of one execution of a step, keyed by its execution path in <see cref="InstanceState.Steps"/>.
/// Common fields first, then the activity's, then each structural kind's.
/// </summary>
internal sealed class StepState
{
    public required string StepId { get; init; }
    public required string Type { get; init; }
    public StepStatus Status { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public StepError? Error { get; set; }
    public JsonObject? Outputs { get; set; }

    /// <summary>Engine and activity bookmarks currently held.</summary>
    public List<BookmarkState>? Bookmarks { get; set; }

    /// <summary>Set when the step's <c>$timeout</c> fired: the step is abandoned, then faults.</summary>
    public bool TimedOut { get; set; }

    /// <summary>The evaluated <c>timeout:</c>, for the message.</summary>
    public string? TimeoutText { get; set; }

    // --- activity steps ---

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; set; }

    /// <summary>The evaluated <c>with:</c> (evaluated once, so a replay sees the same values).</summary>
    public JsonObject? Inputs { get; set; }

    /// <summary>The activity's own persisted state.</summary>
    public JsonObject? ActivityState { get; set; }

    /// <summary>How many commands this attempt sent so far (the next command's sequence number).</summary>
    public int CmdSeq { get; set; }

    /// <summary>Stimuli accepted and not yet delivered, in order.</summary>
    public List<PendingStimulus>? Stimuli { get; set; }

    /// <summary>Event ids already accepted by this step (a duplicate delivery is ignored).</summary>
    public List<string>? SeenEvents { get; set; }

    /// <summary>The last attempt's error while a retry waits.</summary>
    public StepError? LastError { get; set; }

    // --- structural steps ---

    /// <summary>forEach: the items, evaluated once.</summary>
    public JsonArray? Items { get; set; }

    /// <summary>forEach: the status of each iteration; parallel: of each branch.</summary>
    public List<StepStatus>? Children { get; set; }

    /// <summary>if: <c>then</c>/<c>else</c>; switch: the case index or <c>default</c>.</summary>
    public string? Branch { get; set; }

    /// <summary>while: the current iteration (1-based), 0 before the first.</summary>
    public int Iteration { get; set; }

    /// <summary>try: <c>try</c>, <c>catch</c> or <c>finally</c>.</summary>
    public string? Phase { get; set; }

    /// <summary>try: the error the catch handles; parallel/forEach: the first fault, which stops the others.</summary>
    public StepError? CaughtError { get; set; }

    /// <summary>try: the error to raise again once finally is done.</summary>
    public StepError? PendingError { get; set; }

    /// <summary>try: the body was cancelled (raise the cancellation after finally).</summary>
    public bool BodyCancelled { get; set; }
}
