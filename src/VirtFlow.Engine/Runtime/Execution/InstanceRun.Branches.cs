using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    /// <summary>parallel: every branch at once; the first fault abandons the other branches, then the parallel faults.</summary>
    private Flow WalkParallel(ParallelStep p, StepState st, Frame frame, string? cancel)
    {
        var children = st.Children ??= [.. Enumerable.Repeat(StepStatus.Pending, p.Branches.Count)];
        var pending = false;
        for (var i = 0; i < p.Branches.Count; i++)
        {
            if (children[i].IsFinal()) continue;
            var abandon = cancel ?? (st.CaughtError is { } first ? $"a sibling branch faulted: {first.Describe()}" : null);
            var flow = WalkList(p.Branches[i], frame, abandon);
            var status = flow.Kind switch
            {
                FlowKind.Pending => StepStatus.Running,
                FlowKind.Done => StepStatus.Completed,
                FlowKind.Cancelled => StepStatus.Cancelled,
                _ => StepStatus.Faulted,
            };
            if (children[i] != status)
            {
                children[i] = status;
                _changed = true;
            }
            if (flow.Kind == FlowKind.Pending) pending = true;
            if (flow.Kind == FlowKind.Faulted && st.CaughtError is null)
            {
                st.CaughtError = flow.Error;
                _changed = true;
            }
        }
        if (pending) return Flow.Pending;
        if (st.CaughtError is not null) return Flow.Faulted(st.CaughtError);
        return cancel is null ? Flow.Done : Flow.Cancelled;
    }

    /// <summary>
    /// try: the body; on a fault the catch (with <c>error</c>); finally always, even when the body was
    /// abandoned. A fault without a catch, or inside the catch, is raised again after finally; a fault in
    /// finally wins.
    /// </summary>
    private Flow WalkTry(TryStep t, StepState st, Frame frame, string? cancel)
    {
        if (st.Phase == "try")
        {
            var flow = WalkList(t.Steps, frame, cancel);
            switch (flow.Kind)
            {
                case FlowKind.Pending:
                    return flow;
                case FlowKind.Faulted when t.Catch is not null && cancel is null:
                    st.CaughtError = flow.Error;
                    st.Phase = "catch";
                    break;
                case FlowKind.Faulted:
                    st.PendingError = flow.Error;
                    st.Phase = "finally";
                    break;
                case FlowKind.Cancelled:
                    st.BodyCancelled = true;
                    st.Phase = "finally";
                    break;
                default:
                    st.Phase = "finally";
                    break;
            }
            _changed = true;
        }
        if (st.Phase == "catch")
        {
            var flow = WalkList(t.Catch!, CatchFrame(frame, st.CaughtError!), cancel);
            switch (flow.Kind)
            {
                case FlowKind.Pending:
                    return flow;
                case FlowKind.Faulted:
                    st.PendingError = flow.Error;
                    break;
                case FlowKind.Cancelled:
                    st.BodyCancelled = true;
                    break;
            }
            st.Phase = "finally";
            _changed = true;
        }

        var last = WalkList(t.Finally, frame, cancel: null);
        if (last.Kind is FlowKind.Pending or FlowKind.Faulted) return last;
        if (st.PendingError is not null) return Flow.Faulted(st.PendingError);
        return st.BodyCancelled || last.Kind == FlowKind.Cancelled ? Flow.Cancelled : Flow.Done;
    }

    private static Frame CatchFrame(Frame frame, StepError error) =>
        frame.WithLocals(KeyValuePair.Create<string, JsonNode?>("error", error.ToJson()));

    private string ChooseSwitchCase(SwitchStep sw, Frame frame)
    {
        var scope = Scope(frame, sw.Id);
        var value = _core.Evaluator.EvaluateTemplate(JsonValue.Create(sw.Value), scope);
        for (var i = 0; i < sw.Cases.Count; i++)
        {
            var match = _core.Evaluator.EvaluateTemplate(sw.Cases[i].Match?.DeepClone(), scope);
            if (JsonValues.Equal(value, match)) return i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return "default";
    }

    private static IReadOnlyList<StepDefinition> SwitchBranch(SwitchStep sw, StepState st) =>
        int.TryParse(st.Branch, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < sw.Cases.Count
            ? sw.Cases[i].Steps
            : sw.Default;
}
