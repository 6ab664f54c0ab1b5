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
    /// that see them unchanged, which only read them (the evaluator converts them into JavaScript values). A step's view
    /// keeps its values and becomes JSON only when an expression reads <c>steps</c>.
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
        LocalsIfAny = frame.MaterializeLocals(),
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
            _inputsView = (JsonObject)JsonValues.Readable(_instance.Input.DeepClone())!;
            _inputsSource = _instance.Input;
        }
        return _inputsView;
    }

    private StepViewTable StepsView(Frame frame)
    {
        var view = new StepViewTable(_def.StepIds, _def.StepSlots);
        for (var i = 0; i < view.Count; i++)
        {
            if (Resolve(frame, view.IdAt(i)) is { } st) view.Set(i, SharedView(st));
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
    private static StepView SharedView(StepState st)
    {
        if (st.View is null || st.ViewRevision != st.Revision)
        {
            st.View = StepView.Of(st);
            st.ViewRevision = st.Revision;
        }
        return st.View;
    }
}
