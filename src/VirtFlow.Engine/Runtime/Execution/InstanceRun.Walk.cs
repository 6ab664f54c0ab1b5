using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    /// <summary>
    /// Walks the tree until a pass changes nothing: every structural transition (a step created, skipped,
    /// completed, a branch chosen, a loop advanced, an abandonment decided) makes another pass, so decisions
    /// taken late in a pass (a parallel branch faulted) reach the parts walked earlier. Fills <see cref="_ready"/>.
    /// </summary>
    private void Walk()
    {
        for (var pass = 0; ; pass++)
        {
            if (pass >= _core.Options.MaxWalkPasses)
                throw new InvalidOperationException($"instance {InstanceId}: the walk did not settle after {pass} passes (engine bug)");
            _changed = false;
            _ready.Clear();
            _rootFlow = WalkList(_def.Definition.Steps, Frame.Root, _state.CancelReason);
            if (!_changed) return;
            _dirty = true;
        }
    }

    private Flow WalkList(IReadOnlyList<StepDefinition> steps, Frame frame, string? cancel)
    {
        foreach (var step in steps)
        {
            var flow = WalkStep(step, frame, cancel);
            if (flow.Kind is FlowKind.Pending or FlowKind.Faulted) return flow;
            if (flow.Kind == FlowKind.Cancelled) cancel ??= "cancelled";
        }
        return cancel is null ? Flow.Done : Flow.Cancelled;
    }

    private Flow WalkStep(StepDefinition step, Frame frame, string? cancel)
    {
        var path = frame.Prefix + step.Id;
        if (!_state.Steps.TryGetValue(path, out var st))
        {
            if (cancel is not null) return Flow.Cancelled;
            st = CreateStep(step, path, frame);
        }
        if (st.Status.IsFinal()) return ResultOf(step, st);
        if (step is ActivityStep activity)
        {
            var leaf = WalkActivity(activity, st, path, frame, cancel);
            return leaf.Kind == FlowKind.Pending ? leaf : ResultOf(step, st);
        }

        var inner = WalkStructural(step, st, path, frame, cancel ?? (st.TimedOut ? "timed out" : null));
        switch (inner.Kind)
        {
            case FlowKind.Pending:
                return inner;
            case FlowKind.Done:
                FinishStructural(step, st, path, StepStatus.Completed, null);
                break;
            case FlowKind.Faulted:
                FinishStructural(step, st, path, StepStatus.Faulted, inner.Error);
                break;
            default:
                if (st.TimedOut) FinishStructural(step, st, path, StepStatus.Faulted, TimeoutError(step, st));
                else FinishStructural(step, st, path, StepStatus.Cancelled, null);
                break;
        }
        return ResultOf(step, st);
    }

    private Flow WalkStructural(StepDefinition step, StepState st, string path, Frame frame, string? cancel) => step switch
    {
        SequenceStep s => WalkList(s.Steps, frame, cancel),
        ParallelStep p => WalkParallel(p, st, frame, cancel),
        ForEachStep f => WalkForEach(f, st, path, frame, cancel),
        IfStep i => WalkList(st.Branch == "then" ? i.Then : i.Else, frame, cancel),
        SwitchStep sw => WalkList(SwitchBranch(sw, st), frame, cancel),
        WhileStep w => WalkWhile(w, st, path, frame, cancel),
        TryStep t => WalkTry(t, st, frame, cancel),
        _ => Flow.Faulted(new StepError($"unknown kind of step '{step.Type}'", "UnknownStep", step.Id)),
    };

    /// <summary>What a final step means to its parent: continueOnError turns a fault into done.</summary>
    private static Flow ResultOf(StepDefinition step, StepState st) => st.Status switch
    {
        StepStatus.Faulted when !step.ContinueOnError => Flow.Faulted(st.Error ?? new StepError("faulted", null, step.Id)),
        StepStatus.Cancelled => Flow.Cancelled,
        _ => Flow.Done,
    };

    /// <summary>The first visit of a path: the step's state, its <c>if:</c>, and the structural step's one-time evaluations.</summary>
    private StepState CreateStep(StepDefinition step, string path, Frame frame)
    {
        var st = new StepState { StepId = step.Id, Type = step.Type, Status = StepStatus.Pending, Attempt = TakeRetryAttempt(path) };
        _state.Add(path, st);
        _state.Latest[step.Id] = path;
        _changed = true;
        try
        {
            if (step.If is not null && !_core.Evaluator.EvaluateCondition(step.If, Scope(frame, step.Id)))
            {
                st.Status = StepStatus.Skipped;
                st.CompletedAt = _core.Now;
                Journal("StepSkipped", path, $"step '{step.Id}' skipped: its condition is false");
                return st;
            }
            if (step is ActivityStep) return st;

            st.Status = StepStatus.Running;
            st.StartedAt = _core.Now;
            Journal("StepStarted", path, $"{step.Type} '{step.Id}' started", new JsonObject { ["type"] = step.Type, ["name"] = step.DisplayName });
            StartTimeout(step, st, frame);
            InitializeStructural(step, st, path, frame);
        }
        catch (ExpressionException ex)
        {
            FailStructuralAtStart(step, st, path, new StepError(ex.Message, "ExpressionError", step.Id));
        }
        catch (StepFaultException ex)
        {
            FailStructuralAtStart(step, st, path, ex.Error);
        }
        return st;
    }

    private void InitializeStructural(StepDefinition step, StepState st, string path, Frame frame)
    {
        switch (step)
        {
            case ForEachStep f:
                st.Items = EvaluateItems(f, frame);
                st.Iterations = [.. Enumerable.Repeat(StepStatus.Pending, st.Items.Count)];
                break;
            case ParallelStep p:
                st.Children = [.. Enumerable.Repeat(StepStatus.Pending, p.Branches.Count)];
                break;
            case IfStep i:
                st.Branch = _core.Evaluator.EvaluateCondition(i.Condition, Scope(frame, step.Id)) ? "then" : "else";
                Journal("BranchChosen", path, $"if '{step.Id}': {st.Branch}");
                break;
            case SwitchStep sw:
                st.Branch = ChooseSwitchCase(sw, frame);
                Journal("BranchChosen", path, $"switch '{step.Id}': {st.Branch}");
                break;
            case TryStep:
                st.Phase = "try";
                break;
        }
    }

    private void FailStructuralAtStart(StepDefinition step, StepState st, string path, StepError error)
    {
        st.Status = StepStatus.Faulted;
        st.Error = error;
        st.CompletedAt = _core.Now;
        st.Bookmarks = null;
        Journal("StepFaulted", path, error.Message, ErrorData(error));
        RaiseFaulted(path, step.Id, error, willRetry: false);
    }

    private void FinishStructural(StepDefinition step, StepState st, string path, StepStatus status, StepError? error)
    {
        st.Status = status;
        st.Error = error;
        st.CompletedAt = _core.Now;
        st.Bookmarks = null;
        _changed = true;
        switch (status)
        {
            case StepStatus.Completed:
                Journal("StepCompleted", path, $"{step.Type} '{step.Id}' completed");
                RaiseCompleted(path, step.Id, null);
                break;
            case StepStatus.Faulted:
                var continued = step.ContinueOnError ? " (continueOnError: the flow goes on)" : "";
                Journal("StepFaulted", path, error!.Message + continued, ErrorData(error));
                RaiseFaulted(path, step.Id, error, willRetry: false);
                break;
            default:
                Journal("StepCancelled", path, $"{step.Type} '{step.Id}' cancelled");
                break;
        }
    }
}
