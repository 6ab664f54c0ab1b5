using System.Text.Json.Nodes;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>
/// A step as expressions see it (<c>steps.ID</c>) at one revision of its entry: the values are taken when the view is
/// made, and turned into JSON (the outputs copied) only when an expression reads <c>steps</c>. The outputs are kept by
/// reference: an entry's outputs are replaced, never changed in place (see <see cref="StepState.Outputs"/>).
/// </summary>
internal sealed class StepView : SharedStepView
{
    private static readonly string[] StatusNames = Enum.GetNames<StepStatus>().Select(n => n.ToLowerInvariant()).ToArray();

    private readonly StepStatus _status;
    private readonly JsonObject? _outputs;
    private readonly StepError? _error;
    private readonly int _attempt;
    private readonly DateTimeOffset? _startedAt;
    private readonly DateTimeOffset? _completedAt;

    /// <summary>Views of a step not started yet, by attempt: they differ in nothing else, so runs share them.</summary>
    private static readonly StepView[] Pending = [.. Enumerable.Range(0, 4).Select(attempt => new StepView(StepStatus.Pending, attempt))];

    /// <summary>The view of the entry as it is now.</summary>
    public static StepView Of(StepState st) =>
        st is { Status: StepStatus.Pending, Outputs: null, Error: null, StartedAt: null, CompletedAt: null, Attempt: >= 0 } && st.Attempt < Pending.Length
            ? Pending[st.Attempt]
            : new StepView(st);

    private StepView(StepStatus status, int attempt)
    {
        _status = status;
        _attempt = attempt;
    }

    private StepView(StepState st)
    {
        _status = st.Status;
        _outputs = (JsonObject?)JsonValues.Readable(st.Outputs); // read from other threads later: nothing left to build
        _error = st.Error;
        _attempt = st.Attempt;
        _startedAt = st.StartedAt;
        _completedAt = st.CompletedAt;
    }

    public override JsonObject ToJson() => new()
    {
        ["status"] = StatusNames[(int)_status],
        ["outputs"] = _outputs?.DeepClone() ?? new JsonObject(),
        ["error"] = _error?.ToJson(),
        ["attempt"] = _attempt,
        ["startedAt"] = _startedAt?.ToString("O"),
        ["completedAt"] = _completedAt?.ToString("O"),
    };
}
