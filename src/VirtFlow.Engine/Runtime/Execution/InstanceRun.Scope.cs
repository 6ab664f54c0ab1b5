using System.Text.Json.Nodes;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    /// <summary>
    /// What an expression of step <paramref name="stepId"/> sees. <c>steps.X</c> is the execution of X in
    /// the same loop iteration when there is one (innermost first), else X's latest execution.
    /// Nothing an expression sees is the state itself: the variables are this scope's own copy; the inputs, the
    /// instance and each step's view are copies made once (per run, per change of the step) and shared by the scopes
    /// that see them unchanged, which only read them (the evaluator converts them into JavaScript values).
    /// </summary>
    private ExpressionScope Scope(Frame frame, string stepId) => new()
    {
        Inputs = InputsView(),
        Variables = (JsonObject)_state.Vars.DeepClone(),
        SharedStepViews = StepsView(frame),
        Instance = _instanceView ??= new JsonObject
        {
            ["id"] = _instance.Id,
            ["workflow"] = _instance.WorkflowName,
            ["correlationId"] = _instance.CorrelationId,
            ["startedAt"] = _instance.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        },
        Locals = frame.MaterializeLocals(),
        StepId = stepId,
    };

    private JsonObject? _instanceView;
    private JsonObject? _inputsSource;
    private JsonObject? _inputsView;

    /// <summary>A copy of the instance's inputs, made again only when they are replaced (a retry with new inputs).</summary>
    private JsonObject InputsView()
    {
        if (!ReferenceEquals(_inputsSource, _instance.Input) || _inputsView is null)
        {
            _inputsView = (JsonObject)Readable(_instance.Input.DeepClone())!;
            _inputsSource = _instance.Input;
        }
        return _inputsView;
    }

    private Dictionary<string, JsonObject> StepsView(Frame frame)
    {
        var view = new Dictionary<string, JsonObject>(_def.StepIds.Count, StringComparer.Ordinal);
        foreach (var id in _def.StepIds)
        {
            if (Resolve(frame, id) is { } st) view[id] = SharedView(st);
        }
        return view;
    }

    private StepState? Resolve(Frame frame, string stepId)
    {
        for (var f = frame; f is not null; f = f.Parent)
        {
            if (_state.Steps.TryGetValue(f.Prefix + stepId, out var st)) return st;
        }
        return _state.Latest.TryGetValue(stepId, out var path) ? _state.Steps.GetValueOrDefault(path) : null;
    }

    /// <summary>The step's view as of now: the one made at its current revision, else a new one.</summary>
    private static JsonObject SharedView(StepState st)
    {
        if (st.View is null || st.ViewRevision != st.Revision)
        {
            st.View = (JsonObject)Readable(StepView(st))!;
            st.ViewRevision = st.Revision;
        }
        return st.View;
    }

    private static JsonObject StepView(StepState st) => new()
    {
        ["status"] = StatusNames[(int)st.Status],
        ["outputs"] = st.Outputs?.DeepClone() ?? new JsonObject(),
        ["error"] = st.Error?.ToJson(),
        ["attempt"] = st.Attempt,
        ["startedAt"] = st.StartedAt?.ToString("O"),
        ["completedAt"] = st.CompletedAt?.ToString("O"),
    };

    private static readonly string[] StatusNames = Enum.GetNames<StepStatus>().Select(n => n.ToLowerInvariant()).ToArray();

    /// <summary>
    /// Walks a node once so that every object and array in it is built (a parsed node builds its children on first
    /// read): a shared view is then only read, from any thread, without building anything.
    /// </summary>
    private static JsonNode? Readable(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o) Readable(child);
                break;
            case JsonArray a:
                foreach (var child in a) Readable(child);
                break;
        }
        return node;
    }
}
