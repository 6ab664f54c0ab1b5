using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Runtime.State;
using VirtFlow.Engine.Runtime.Support;

namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    /// <summary>Applies a finished call to the state (on the run's thread): its buffered effects, then its outcome.</summary>
    private void ApplyOutcome(ActivityExecution execution)
    {
        var (item, context) = (execution.Item, execution.Context);
        var st = item.State;
        var task = execution.Task;
        var error = task.IsFaulted ? task.Exception!.GetBaseException() : null;
        var cancelled = task.IsCanceled || error is OperationCanceledException;
        var timedOut = cancelled && execution.TimeoutSource?.IsCancellationRequested == true;
        execution.DisposeSources();
        if (cancelled && !timedOut && _runToken.IsCancellationRequested)
        {
            Log.OutcomeDiscarded(_logger, null, InstanceId, item.Path);
            return;
        }

        AbsorbEffects(context, st);
        if (item.Kind == WorkKind.Abandon)
        {
            if (error is not null && !cancelled)
            {
                Log.AbandonFailed(_logger, error, InstanceId, item.Path);
                Journal("AbandonFailed", item.Path, $"abandoning step '{item.Step.Id}' failed: {error.Message}");
            }
            FinishAbandon(item);
            return;
        }
        if (item.Kind == WorkKind.Resume && st.Stimuli is { Count: > 0 }) st.Stimuli.RemoveAt(0);

        if (timedOut)
        {
            FaultLeaf(item, TimeoutError(item.Step, st), allowRetry: true);
        }
        else if (error is not null || cancelled)
        {
            Log.ActivityThrew(_logger, error, InstanceId, item.Path, item.Step.Type);
            var message = error?.Message ?? "the activity was cancelled";
            FaultLeaf(item, new StepError(message, "ActivityError", item.Step.Id), allowRetry: true);
        }
        else
        {
            switch (task.Result)
            {
                case ActivityOutcome.Completed c:
                    CompleteLeaf(item, c.Outputs);
                    break;
                case ActivityOutcome.Faulted f:
                    FaultLeaf(item, new StepError(f.Message, f.Code ?? "ActivityFault", item.Step.Id), allowRetry: true);
                    break;
                case ActivityOutcome.Suspended s:
                    SuspendLeaf(item, s.Bookmarks);
                    break;
                default:
                    FaultLeaf(item, new StepError("the activity returned no outcome", "ActivityError", item.Step.Id), allowRetry: false);
                    break;
            }
        }
    }

    private void AbsorbEffects(RuntimeActivityContext context, StepState st)
    {
        _dirty = true;
        if (context.Commands is { } commands) _outbox.AddRange(commands);
        st.CmdSeq += context.CommandsSent;
        if (context.JournalLines is { } lines) _journal.AddRange(lines);
        if (context.LastProgress is { } reports)
        {
            foreach (var progress in reports.Values)
                Journal("Progress", context.StepPath, $"progress of step '{context.StepId}'", progress);
        }
        foreach (var (name, value) in context.VariableWrites)
        {
            if (value is null) _state.Vars.Remove(name);
            else _state.Vars[name] = value; // the context's own copy, not seen by anyone else
        }
        st.ActivityState = context.State.Count == 0 ? null : context.State;
    }

    private void CompleteLeaf(WorkItem item, JsonObject outputs)
    {
        var st = item.State;
        st.Status = StepStatus.Completed;
        st.Outputs = outputs;
        st.CompletedAt = _core.Now;
        st.Bookmarks = null;
        st.Stimuli = null;
        st.LastError = null;
        Journal("StepCompleted", item.Path, $"{item.Step.Type} '{item.Step.Id}' completed",
            new JsonObject { ["outputs"] = JsonSummary.Trim(outputs) });
        RaiseCompleted(item.Path, item.Step.Id, outputs);
    }

    /// <summary>Faults an attempt: a retry waits for its delay when attempts remain, else the step faults.</summary>
    private void FaultLeaf(WorkItem item, StepError error, bool allowRetry)
    {
        var (step, st) = (item.Step, item.State);
        _dirty = true;
        _changed = true;
        st.Bookmarks = null;
        st.Stimuli = null;
        st.TimedOut = false;
        if (allowRetry && step.Retry is { } retry && st.Attempt < retry.MaxAttempts && _state.CancelReason is null)
        {
            var delay = RetryDelay(step, retry, st.Attempt);
            st.Status = StepStatus.Suspended;
            st.LastError = error;
            AddBookmark(st, BookmarkNames.Retry, null, _core.Now + delay, null);
            Journal("StepFaulted", item.Path,
                $"attempt {st.Attempt} of {retry.MaxAttempts} failed: {error.Message}; retrying in {Durations.Format(delay)}",
                ErrorData(error, st.Attempt));
            RaiseFaulted(item.Path, step.Id, error, willRetry: true);
            return;
        }
        st.Status = StepStatus.Faulted;
        st.Error = error;
        st.CompletedAt = _core.Now;
        var suffix = step.ContinueOnError ? " (continueOnError: the flow goes on)" : "";
        Journal("StepFaulted", item.Path, error.Message + suffix, ErrorData(error, st.Attempt));
        RaiseFaulted(item.Path, step.Id, error, willRetry: false);
    }

    private void SuspendLeaf(WorkItem item, IReadOnlyList<BookmarkRequest> requests)
    {
        var (step, st) = (item.Step, item.State);
        var problem = requests.Count == 0
            ? "the activity suspended without any bookmark"
            : requests.Select(BookmarkProblem).FirstOrDefault(p => p is not null);
        if (problem is not null)
        {
            FaultLeaf(item, new StepError(problem, "ActivityError", step.Id), allowRetry: false);
            return;
        }
        st.Bookmarks?.RemoveAll(b => !b.IsEngineOwned);
        st.Touch();
        foreach (var r in requests) AddBookmark(st, r.Name, r.Key, r.DueAt, r.Data);
        st.Status = StepStatus.Suspended;
        var names = requests.Select(r => r.Name).ToList();
        Journal("StepSuspended", item.Path, $"step '{step.Id}' waits for {string.Join(", ", names)}",
            new JsonObject
            {
                ["bookmarks"] = new JsonArray(requests.Select(r => (JsonNode)new JsonObject
                {
                    ["name"] = r.Name,
                    ["key"] = r.Key,
                    ["dueAt"] = r.DueAt?.ToString("O"),
                }).ToArray()),
            });
        RaiseSuspended(item.Path, step.Id, names);
    }

    private static string? BookmarkProblem(BookmarkRequest r) =>
        string.IsNullOrEmpty(r.Name) ? "a bookmark has no name"
        : r.Name.StartsWith('$') ? $"bookmark name '{r.Name}' is reserved (names starting with '$' belong to the engine)"
        : r.Key is null && r.DueAt is null ? $"bookmark '{r.Name}' has neither a key nor a due time"
        : null;

    /// <summary>After AbandonAsync: a timed-out step faults (and may retry), any other is cancelled.</summary>
    private void FinishAbandon(WorkItem item)
    {
        var st = item.State;
        _dirty = true;
        _changed = true;
        if (st.TimedOut)
        {
            FaultLeaf(item, TimeoutError(item.Step, st), allowRetry: true);
            return;
        }
        CancelLeaf(st, item.Path, item.Reason ?? "abandoned");
    }

    private void AddBookmark(StepState st, string name, string? key, DateTimeOffset? dueAt, JsonObject? data)
    {
        st.Bookmarks ??= [];
        var bookmark = new BookmarkState
        {
            Id = $"{InstanceId}:b{++_state.BookmarkSeq}",
            Name = name,
            Key = key,
            DueAt = dueAt is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d.ToUnixTimeMilliseconds()) : null,
            Data = (JsonObject?)data?.DeepClone(),
        };
        st.Bookmarks.Add(bookmark);
        st.Touch();
        if (key is not null) _newKeys.Add(key);
        if (bookmark.DueAt is { } due && (_earliestNewTimer is null || due < _earliestNewTimer)) _earliestNewTimer = due;
    }
}
