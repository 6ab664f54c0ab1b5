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
    /// ones have finished.
    /// </summary>
    private Flow WalkForEach(ForEachStep f, StepState st, string path, Frame frame, string? cancel)
    {
        var items = st.Items ?? [];
        var children = st.Children ??= [.. Enumerable.Repeat(StepStatus.Pending, items.Count)];
        var max = f.MaxParallelism <= 0 ? int.MaxValue : f.MaxParallelism;
        var running = children.Count(c => c == StepStatus.Running);
        var pending = false;
        for (var i = 0; i < items.Count; i++)
        {
            if (children[i].IsFinal()) continue;
            var stopNew = cancel is not null || (st.CaughtError is not null && !f.ContinueOnError);
            if (children[i] == StepStatus.Pending)
            {
                if (stopNew) continue;
                if (running >= max)
                {
                    pending = true;
                    continue;
                }
                children[i] = StepStatus.Running;
                running++;
                _changed = true;
            }

            var flow = WalkList(f.Steps, IterationFrame(f, path, frame, items, i), cancel);
            if (flow.Kind == FlowKind.Pending)
            {
                pending = true;
                continue;
            }
            running--;
            _changed = true;
            children[i] = flow.Kind switch
            {
                FlowKind.Done => StepStatus.Completed,
                FlowKind.Cancelled => StepStatus.Cancelled,
                _ => StepStatus.Faulted,
            };
            if (flow.Kind == FlowKind.Faulted && st.CaughtError is null) st.CaughtError = flow.Error;
        }
        if (pending) return Flow.Pending;

        for (var i = 0; i < children.Count; i++)
        {
            if (children[i] == StepStatus.Pending)
            {
                children[i] = StepStatus.Cancelled;
                _changed = true;
            }
        }
        if (st.CaughtError is not null) return Flow.Faulted(st.CaughtError);
        return cancel is null ? Flow.Done : Flow.Cancelled;
    }

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
