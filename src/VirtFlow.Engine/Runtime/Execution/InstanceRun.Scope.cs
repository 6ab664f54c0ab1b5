using System.Text.Json.Nodes;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    /// <summary>
    /// What an expression of step <paramref name="stepId"/> sees. <c>steps.X</c> is the execution of X in
    /// the same loop iteration when there is one (innermost first), else X's latest execution.
    /// Every object is a private copy: an expression can never change the state.
    /// </summary>
    private ExpressionScope Scope(Frame frame, string stepId) => new()
    {
        Inputs = (JsonObject)_instance.Input.DeepClone(),
        Variables = (JsonObject)_state.Vars.DeepClone(),
        Steps = StepsView(frame),
        Instance = new JsonObject
        {
            ["id"] = _instance.Id,
            ["workflow"] = _instance.WorkflowName,
            ["correlationId"] = _instance.CorrelationId,
            ["startedAt"] = _instance.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        },
        Locals = frame.MaterializeLocals(),
        StepId = stepId,
    };

    private JsonObject StepsView(Frame frame)
    {
        var view = new JsonObject();
        foreach (var id in _def.StepIds)
        {
            if (Resolve(frame, id) is { } st) view[id] = StepView(st);
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

    private static JsonObject StepView(StepState st) => new()
    {
        ["status"] = st.Status.ToString().ToLowerInvariant(),
        ["outputs"] = st.Outputs?.DeepClone() ?? new JsonObject(),
        ["error"] = st.Error?.ToJson(),
        ["attempt"] = st.Attempt,
        ["startedAt"] = st.StartedAt?.ToString("O"),
        ["completedAt"] = st.CompletedAt?.ToString("O"),
    };
}
