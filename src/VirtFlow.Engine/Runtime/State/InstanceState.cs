using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.State;

/// <summary>
/// The runtime's document in <c>WorkflowInstance.State</c>: variables, and the state of every step
/// execution by path (<c>mirror</c>, <c>loop[3]/copy</c>, <c>retry-loop#2/probe</c>).
/// </summary>
internal sealed class InstanceState
{
    public JsonObject Vars { get; set; } = new();

    /// <summary>Execution path → state. Ordinal keys.</summary>
    public Dictionary<string, StepState> Steps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Step id → the path of its latest execution (for <c>steps.ID</c> outside its loop).</summary>
    public Dictionary<string, string> Latest { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The last bookmark number handed out (bookmark ids are never reused).</summary>
    public long BookmarkSeq { get; set; }

    /// <summary>Set by a cancellation request: every step is abandoned (finally blocks still run).</summary>
    public string? CancelReason { get; set; }

    /// <summary>
    /// Set by a retry (<see cref="WorkflowEngine.RetryAsync"/>): execution path → the attempt number the step's next
    /// execution starts at (one past its last), so a step run again sends commands with new ids. Taken when the path is created.
    /// </summary>
    public Dictionary<string, int>? RetryAttempts { get; set; }
}
