using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    /// <summary>Starts an attempt (or re-runs one after a crash). False when the step faulted before the call.</summary>
    private bool TryStart(WorkItem item)
    {
        var (step, st) = (item.Step, item.State);
        var activity = _core.Activities.Resolve(step.Type, _core.Services);
        if (activity is null)
        {
            FaultLeaf(item, new StepError($"unknown activity type '{step.Type}'", "UnknownActivity", step.Id), allowRetry: false);
            return false;
        }
        var rerun = st.Status == StepStatus.Running;
        var scope = Scope(item.Frame, step.Id);
        try
        {
            st.Inputs ??= EvaluateInputs(step, activity.Descriptor, scope);
            if (!rerun)
            {
                st.Attempt = Math.Max(1, st.Attempt);
                st.Status = StepStatus.Running;
                st.StartedAt ??= _core.Now;
                st.ActivityState = null;
                st.CmdSeq = 0;
                StartTimeout(step, st, item.Frame);
            }
        }
        catch (ExpressionException ex)
        {
            FaultLeaf(item, new StepError(ex.Message, "ExpressionError", step.Id), allowRetry: false);
            return false;
        }
        catch (StepFaultException ex)
        {
            FaultLeaf(item, ex.Error, allowRetry: false);
            return false;
        }
        _dirty = true;
        Journal("StepStarted", item.Path,
            rerun ? $"{step.Type} '{step.Id}' re-run from its last checkpoint (attempt {st.Attempt})" : $"{step.Type} '{step.Id}' started (attempt {st.Attempt})",
            new JsonObject { ["attempt"] = st.Attempt, ["type"] = step.Type, ["name"] = step.DisplayName, ["rerun"] = rerun });
        Raise(new StepStarted(InstanceId, _instance.WorkflowName, _core.Now, item.Path, step.Id, step.Type, st.Attempt, Resumed: false));
        scope.SetStepView(step.Id, SharedView(st)); // the scope was made before the step started: its own view as of now
        var context = NewContext(item, scope);
        Launch(item, context, null, (ct) => activity.ExecuteAsync(context, ct), activity.Descriptor.Pure);
        return true;
    }

    private bool TryResume(WorkItem item)
    {
        var (step, st) = (item.Step, item.State);
        var activity = _core.Activities.Resolve(step.Type, _core.Services);
        if (activity is null)
        {
            FaultLeaf(item, new StepError($"unknown activity type '{step.Type}'", "UnknownActivity", step.Id), allowRetry: false);
            return false;
        }
        var stimulus = st.Stimuli![0];
        var context = NewContext(item);
        var given = new ActivityStimulus(stimulus.BookmarkName, stimulus.Key, stimulus.Payload?.DeepClone(), stimulus.IsTimer, stimulus.EventId, (JsonObject?)stimulus.Data?.DeepClone());
        Raise(new StepStarted(InstanceId, _instance.WorkflowName, _core.Now, item.Path, step.Id, step.Type, st.Attempt, Resumed: true));
        Launch(item, context, stimulus, (ct) => activity.ResumeAsync(context, given, ct), activity.Descriptor.Pure);
        return true;
    }

    private bool TryAbandon(WorkItem item)
    {
        var activity = _core.Activities.Resolve(item.Step.Type, _core.Services);
        if (activity is null)
        {
            FinishAbandon(item);
            return false;
        }
        var context = NewContext(item);
        var reason = item.Reason ?? "abandoned";
        Launch(item, context, null, async (ct) =>
        {
            await activity.AbandonAsync(context, reason, ct).ConfigureAwait(false);
            return null!;
        }, activity.Descriptor.Pure);
        return true;
    }

    /// <summary>Records a call to start once the state that leads to it is checkpointed (a fenced engine starts nothing).</summary>
    private void Launch(WorkItem item, RuntimeActivityContext context, PendingStimulus? stimulus, Func<CancellationToken, ValueTask<ActivityOutcome>> call, bool pure) =>
        _prepared[item.Path] = new PreparedCall(item, context, stimulus, call, pure);

    /// <summary>Starts the prepared calls as tasks.</summary>
    private void LaunchPrepared()
    {
        foreach (var p in _prepared.Values) Start(p.Item, p.Context, p.Stimulus, p.Call, p.Pure);
        _prepared.Clear();
    }

    private void Start(WorkItem item, RuntimeActivityContext context, PendingStimulus? stimulus, Func<CancellationToken, ValueTask<ActivityOutcome>> call, bool pure)
    {
        var deadline = item.Kind == WorkKind.Abandon ? null : item.State.Bookmarks?.Find(b => b.Name == BookmarkNames.Timeout)?.DueAt;
        CancellationTokenSource? timeout = null;
        if (deadline is { } due)
        {
            var left = due - _core.Now;
            timeout = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, _core.Clock);
        }
        // A pure call without a timeout (most complete at once) has the run's token, cancelled with the run or by
        // DrainAfterAbortAsync; any other call has a source of its own, linked to it (what it registers on its token
        // goes with the call).
        var cancellation = timeout is not null ? CancellationTokenSource.CreateLinkedTokenSource(_runToken, timeout.Token)
            : pure ? null
            : CancellationTokenSource.CreateLinkedTokenSource(_runToken);
        var execution = new ActivityExecution(item, context, cancellation) { Stimulus = stimulus, Deadline = deadline, TimeoutSource = timeout, Pure = pure };
        var token = cancellation?.Token ?? _runToken;
        // A pure call only reads its context and returns an outcome: it runs here, on the run's own thread, up to its first
        // wait (most complete at once: no thread hand-off per step). Any other call may work or block before its first
        // wait (a script, an HTTP request being built): it runs on the thread pool, beside the run and the other branches.
        execution.Task = pure ? CallInline(call, token) : Task.Run<ActivityOutcome?>(async () => await call(token).ConfigureAwait(false), CancellationToken.None);
        _inFlight[item.Path] = execution;
    }

    /// <summary>Runs a call on this thread until it completes or waits; a throw ends the task (faulted, or cancelled), as on the pool.</summary>
    private static async Task<ActivityOutcome?> CallInline(Func<CancellationToken, ValueTask<ActivityOutcome>> call, CancellationToken token) =>
        await call(token).ConfigureAwait(false);

    private RuntimeActivityContext NewContext(WorkItem item, ExpressionScope? scope = null)
    {
        var st = item.State;
        scope ??= Scope(item.Frame, item.Step.Id);
        return new RuntimeActivityContext(
            _core,
            _instance,
            item.Step.Id,
            item.Path,
            Math.Max(1, st.Attempt),
            (JsonObject?)st.Inputs?.DeepClone() ?? new JsonObject(),
            (JsonObject?)st.ActivityState?.DeepClone() ?? new JsonObject(),
            st.CmdSeq,
            scope,
            _activityLogger);
    }

    /// <summary>The step's <c>with:</c>, evaluated in its scope, with the activity's declared defaults; a missing required input faults.</summary>
    private JsonObject EvaluateInputs(ActivityStep step, ActivityDescriptor descriptor, ExpressionScope scope)
    {
        // the evaluator only reads the template and gives back a new object
        var evaluated = _def.HasTemplatedInputs(step.Id)
            ? _core.Evaluator.EvaluateTemplate(step.With, scope) as JsonObject ?? new JsonObject()
            : (JsonObject)step.With.DeepClone();
        foreach (var input in descriptor.Inputs)
        {
            if (evaluated[input.Name] is not null) continue;
            if (input.Default is not null) evaluated[input.Name] = input.Default.DeepClone();
            else if (input.Required)
                throw new StepFaultException(new StepError($"input '{input.Name}' of {step.Type} is required", "MissingInput", step.Id));
        }
        return evaluated;
    }
}
