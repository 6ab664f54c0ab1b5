using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VirtFlow.Engine.Runtime.State;

/// <summary>
/// The runtime's document in <c>WorkflowInstance.State</c>: variables, and the state of every step
/// execution by path (<c>mirror</c>, <c>loop[3]/copy</c>, <c>retry-loop#2/probe</c>). A forEach keeps the status of
/// iteration i in the entry <c>loop[i]</c> (type <c>iteration</c>).
/// </summary>
/// <remarks>
/// A checkpoint writes only what changed (see <see cref="StateJson.Changes"/>): the entries created or touched since the
/// last one, and the open (non-final) ones whose revision moved. So no part of a commit costs in proportion to the
/// number of steps the instance ran: the open entries are kept in <see cref="Open"/>, and code that changes a final entry
/// again must call <see cref="Touch"/>.
/// </remarks>
internal sealed class InstanceState
{
    private long _seq;

    public JsonObject Vars { get; set; } = new();

    /// <summary>Execution path → state. Ordinal keys.</summary>
    public Dictionary<string, StepState> Steps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Step id → the path of its latest execution (for <c>steps.ID</c> outside its loop).</summary>
    public Dictionary<string, string> Latest { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The last bookmark number handed out (bookmark ids are never reused).</summary>
    public long BookmarkSeq { get; set; }

    /// <summary>Set by a cancellation request: every step is abandoned (finally blocks still run).</summary>
    public string? CancelReason { get; set; }

    /// <summary>Paths of the entries that were not final at the last checkpoint (or load).</summary>
    [JsonIgnore]
    public HashSet<string> Open { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths created or touched since the last checkpoint.</summary>
    [JsonIgnore]
    public HashSet<string> Touched { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds an entry (a new execution path).</summary>
    public void Add(string path, StepState step)
    {
        step.Seq = ++_seq;
        Steps[path] = step;
        Touched.Add(path);
    }

    /// <summary>Marks an entry changed, also one that is final: the next checkpoint writes it.</summary>
    public void Touch(string path)
    {
        if (Steps.TryGetValue(path, out var step)) step.Touch();
        Touched.Add(path);
    }

    /// <summary>The entries that are not final, in creation order: those that can hold bookmarks or still change.</summary>
    public List<KeyValuePair<string, StepState>> OpenSteps()
    {
        var result = new List<KeyValuePair<string, StepState>>(Open.Count + Touched.Count);
        foreach (var path in Open) Collect(path, result, fromTouched: false);
        foreach (var path in Touched) Collect(path, result, fromTouched: true);
        result.Sort((a, b) => a.Value.Seq.CompareTo(b.Value.Seq));
        return result;
    }

    private void Collect(string path, List<KeyValuePair<string, StepState>> result, bool fromTouched)
    {
        if (fromTouched && Open.Contains(path)) return;
        if (Steps.TryGetValue(path, out var step) && !step.Status.IsFinal()) result.Add(KeyValuePair.Create(path, step));
    }

    /// <summary>After a load: every entry counts as saved, the open ones are indexed.</summary>
    public void Loaded()
    {
        foreach (var step in Steps.Values) _seq = Math.Max(_seq, step.Seq);
        foreach (var (path, step) in Steps)
        {
            if (step.Seq == 0) step.Seq = ++_seq;
            step.SavedRevision = step.Revision;
            if (!step.Status.IsFinal()) Open.Add(path);
        }
    }

    /// <summary>
    /// Set by a retry (<see cref="WorkflowEngine.RetryAsync"/>): execution path → the attempt number the step's next
    /// execution starts at (one past its last), so a step run again sends commands with new ids. Taken when the path is created.
    /// </summary>
    public Dictionary<string, int>? RetryAttempts { get; set; }
}
