using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    /// <summary>
    /// forEach: items evaluated once; at most <c>maxParallelism</c> iterations running (0 or less: no bound).
    /// A faulted iteration stops new iterations (unless continueOnError); the loop faults once the running
    /// ones have finished. Iterations start in order, so the started ones are a prefix and the walk visits only those
    /// between the first one not final and the first one not started: its cost does not grow with the items done.
    /// </summary>
    private Flow WalkForEach(ForEachStep f, StepState st, string path, Frame frame, string? cancel)
    {
        var items = st.Items ?? [];
        var children = IterationsOf(st, path, items.Count);
        var max = f.MaxParallelism <= 0 ? int.MaxValue : f.MaxParallelism;
        var running = 0;
        for (var i = st.FirstOpen; i < st.Started; i++)
        {
            if (children[i] == StepStatus.Running) running++;
        }
        var pending = false;
        for (var i = st.FirstOpen; i < items.Count; i++)
        {
            if (children[i].IsFinal())
            {
                if (i == st.FirstOpen) st.FirstOpen = i + 1;
                continue;
            }
            var stopNew = cancel is not null || (st.CaughtError is not null && !f.ContinueOnError);
            if (children[i] == StepStatus.Pending)
            {
                // every later iteration is Pending too
                if (stopNew) break;
                if (running >= max)
                {
                    pending = true;
                    break;
                }
                SetIteration(f, st, path, i, StepStatus.Running);
                st.Started = Math.Max(st.Started, i + 1);
                running++;
            }

            var flow = WalkList(f.Steps, IterationFrame(f, path, frame, items, i), cancel);
            if (flow.Kind == FlowKind.Pending)
            {
                pending = true;
                continue;
            }
            running--;
            SetIteration(f, st, path, i, flow.Kind switch
            {
                FlowKind.Done => StepStatus.Completed,
                FlowKind.Cancelled => StepStatus.Cancelled,
                _ => StepStatus.Faulted,
            });
            if (i == st.FirstOpen) st.FirstOpen = i + 1;
            if (flow.Kind == FlowKind.Faulted && st.CaughtError is null) st.CaughtError = flow.Error;
        }
        if (pending) return Flow.Pending;

        for (var i = st.FirstOpen; i < children.Count; i++)
        {
            if (children[i] == StepStatus.Pending) SetIteration(f, st, path, i, StepStatus.Cancelled);
        }
        if (st.CaughtError is not null) return Flow.Faulted(st.CaughtError);
        return cancel is null ? Flow.Done : Flow.Cancelled;
    }

    /// <summary>The status of each iteration, from the entries <c>path[i]</c> (once per run), or from a document written before them.</summary>
    private List<StepStatus> IterationsOf(StepState st, string path, int count)
    {
        if (st.Iterations is { } known) return known;
        List<StepStatus> children;
        if (st.Children is { } legacy)
        {
            // written before the iterations had entries of their own: they get them now, and the loop's entry loses its list
            children = [.. legacy];
            while (children.Count < count) children.Add(StepStatus.Pending);
            st.Children = null;
            for (var i = 0; i < children.Count; i++)
            {
                if (children[i] != StepStatus.Pending) PutIteration(st.StepId, path, i, children[i]);
            }
        }
        else
        {
            children = new List<StepStatus>(count);
            for (var i = 0; i < count; i++)
                children.Add(_state.Steps.TryGetValue(IterationPath(path, i), out var entry) ? entry.Status : StepStatus.Pending);
        }
        st.Iterations = children;
        st.FirstOpen = children.FindIndex(c => !c.IsFinal()) is var open and >= 0 ? open : children.Count;
        st.Started = children.FindIndex(c => c == StepStatus.Pending) is var first and >= 0 ? first : children.Count;
        return children;
    }

    private void SetIteration(ForEachStep f, StepState st, string path, int index, StepStatus status)
    {
        st.Iterations![index] = status;
        PutIteration(f.Id, path, index, status);
        _changed = true;
    }

    /// <summary>The entry <c>path[i]</c> that keeps an iteration's status (written with the next checkpoint).</summary>
    private void PutIteration(string stepId, string path, int index, StepStatus status)
    {
        var entryPath = IterationPath(path, index);
        if (_state.Steps.TryGetValue(entryPath, out var entry))
        {
            entry.Status = status;
            _state.Touch(entryPath);
        }
        else
        {
            _state.Add(entryPath, new StepState { StepId = stepId, Type = StepState.IterationType, Status = status });
        }
    }

    private static string IterationPath(string path, int index) => $"{path}[{index}]";

    private static Frame IterationFrame(ForEachStep f, string path, Frame frame, JsonArray items, int index) =>
        frame.Iteration(
            $"{path}[{index}]/",
            KeyValuePair.Create(f.As, items[index]),
            KeyValuePair.Create<string, JsonNode?>("index", index),
            KeyValuePair.Create<string, JsonNode?>(f.As + "Index", index));

    private JsonArray EvaluateItems(ForEachStep f, Frame frame)
    {
        var value = _core.Evaluator.EvaluateTemplate(JsonValue.Create(f.Items), Scope(frame, f.Id));
        if (value is JsonArray array) return array;
        throw new StepFaultException(new StepError(
            $"forEach '{f.Id}': items must be an array, but '{f.Items}' gave {Support.JsonSummary.Of(value, 80)}", "InvalidItems", f.Id));
    }

    /// <summary>while: the condition is evaluated once before each iteration; more than <c>maxIterations</c> faults.</summary>
    private Flow WalkWhile(WhileStep w, StepState st, string path, Frame frame, string? cancel)
    {
        while (true)
        {
            if (st.Iteration > 0)
            {
                var flow = WalkList(w.Steps, WhileFrame(path, frame, st.Iteration), cancel);
                if (flow.Kind != FlowKind.Done) return flow;
            }
            if (cancel is not null) return Flow.Cancelled;

            bool more;
            try
            {
                more = _core.Evaluator.EvaluateCondition(w.Condition, Scope(WhileFrame(path, frame, st.Iteration), w.Id));
            }
            catch (ExpressionException ex)
            {
                return Flow.Faulted(new StepError(ex.Message, "ExpressionError", w.Id));
            }
            if (!more) return Flow.Done;
            if (st.Iteration >= w.MaxIterations)
            {
                return Flow.Faulted(new StepError(
                    $"while '{w.Id}': the condition '{w.Condition}' was still true after {w.MaxIterations} iterations (maxIterations)",
                    "MaxIterationsExceeded", w.Id));
            }
            st.Iteration++;
            _changed = true;
        }
    }

    private static Frame WhileFrame(string path, Frame frame, int iteration) =>
        frame.Iteration($"{path}#{iteration}/", KeyValuePair.Create<string, JsonNode?>("iteration", iteration));
}
