using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VirtFlow.Engine.Runtime.State;

/// <summary>
/// The persisted state of one execution of a step, keyed by its execution path in <see cref="InstanceState.Steps"/>.
/// Common fields first, then the activity's, then each structural kind's. Every setter counts a revision, so a
/// checkpoint writes the entries that changed (<see cref="Touch"/> after changing a list or an object in place).
/// </summary>
internal sealed class StepState
{
    /// <summary>The <see cref="Type"/> of the entry <c>loop[i]</c> that keeps the status of a forEach's iteration i.</summary>
    public const string IterationType = "iteration";

    /// <summary>Counts changes (setters and <see cref="Touch"/>); the entry is written when it differs from <see cref="SavedRevision"/>.</summary>
    [JsonIgnore]
    public int Revision { get; private set; }

    /// <summary>The <see cref="Revision"/> the store holds.</summary>
    [JsonIgnore]
    public int SavedRevision { get; set; }

    /// <summary>
    /// Order of creation in the instance, kept with the entry (a store may give entries back in another order: SQLite by
    /// path), so walks over open entries and readers of the steps keep the order the runtime created them in; entries
    /// saved before it was kept get theirs at load, in document order.
    /// </summary>
    [JsonPropertyName("seq")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Seq { get; set; }

    /// <summary>forEach: the status of each iteration (kept in the entries <c>path[i]</c>, not in this one).</summary>
    [JsonIgnore]
    public List<StepStatus>? Iterations { get; set; }

    /// <summary>forEach: every iteration below this index is final.</summary>
    [JsonIgnore]
    public int FirstOpen { get; set; }

    /// <summary>forEach: iterations start in order, so every iteration from this index on is still Pending.</summary>
    [JsonIgnore]
    public int Started { get; set; }

    /// <summary>Marks a change made in place (a list or an object of this entry).</summary>
    public void Touch() => Revision++;

    /// <summary>What expressions see of this entry (<c>steps.ID</c>), made at <see cref="ViewRevision"/>; shared, never changed.</summary>
    [JsonIgnore]
    public Execution.StepView? View { get; set; }

    /// <summary>The <see cref="Revision"/> <see cref="View"/> was made at.</summary>
    [JsonIgnore]
    public int ViewRevision { get; set; } = -1;

    public required string StepId { get; init; }
    public required string Type { get; init; }
    public StepStatus Status { get; set { field = value; Revision++; } }
    public DateTimeOffset? StartedAt { get; set { field = value; Revision++; } }
    public DateTimeOffset? CompletedAt { get; set { field = value; Revision++; } }
    public StepError? Error { get; set { field = value; Revision++; } }

    /// <summary>The activity's outputs once completed: replaced, never changed in place (expressions' views share it).</summary>
    public JsonObject? Outputs { get; set { field = value; Revision++; } }

    /// <summary>Engine and activity bookmarks currently held.</summary>
    public List<BookmarkState>? Bookmarks { get; set { field = value; Revision++; } }

    /// <summary>Set when the step's <c>$timeout</c> fired: the step is abandoned, then faults.</summary>
    public bool TimedOut { get; set { field = value; Revision++; } }

    /// <summary>The evaluated <c>timeout:</c>, for the message.</summary>
    public string? TimeoutText { get; set { field = value; Revision++; } }

    // --- activity steps ---

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; set { field = value; Revision++; } }

    /// <summary>The evaluated <c>with:</c> (evaluated once, so a replay sees the same values).</summary>
    public JsonObject? Inputs { get; set { field = value; Revision++; } }

    /// <summary>The activity's own persisted state.</summary>
    public JsonObject? ActivityState { get; set { field = value; Revision++; } }

    /// <summary>How many commands this attempt sent so far (the next command's sequence number).</summary>
    public int CmdSeq { get; set { field = value; Revision++; } }

    /// <summary>Stimuli accepted and not yet delivered, in order.</summary>
    public List<PendingStimulus>? Stimuli { get; set { field = value; Revision++; } }

    /// <summary>Event ids already accepted by this step (a duplicate delivery is ignored).</summary>
    public List<string>? SeenEvents { get; set { field = value; Revision++; } }

    /// <summary>The last attempt's error while a retry waits.</summary>
    public StepError? LastError { get; set { field = value; Revision++; } }

    // --- structural steps ---

    /// <summary>forEach: the items, evaluated once.</summary>
    public JsonArray? Items { get; set { field = value; Revision++; } }

    /// <summary>parallel: the status of each branch (forEach: only in documents written before migration 2; see <see cref="Iterations"/>).</summary>
    public List<StepStatus>? Children { get; set { field = value; Revision++; } }

    /// <summary>if: <c>then</c>/<c>else</c>; switch: the case index or <c>default</c>.</summary>
    public string? Branch { get; set { field = value; Revision++; } }

    /// <summary>while: the current iteration (1-based), 0 before the first.</summary>
    public int Iteration { get; set { field = value; Revision++; } }

    /// <summary>try: <c>try</c>, <c>catch</c> or <c>finally</c>.</summary>
    public string? Phase { get; set { field = value; Revision++; } }

    /// <summary>try: the error the catch handles; parallel/forEach: the first fault, which stops the others.</summary>
    public StepError? CaughtError { get; set { field = value; Revision++; } }

    /// <summary>try: the error to raise again once finally is done.</summary>
    public StepError? PendingError { get; set { field = value; Revision++; } }

    /// <summary>try: the body was cancelled (raise the cancellation after finally).</summary>
    public bool BodyCancelled { get; set { field = value; Revision++; } }
}
