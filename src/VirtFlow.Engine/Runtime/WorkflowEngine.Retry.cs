using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Runtime.Execution;
using VirtFlow.Engine.Runtime.State;
using VirtFlow.Engine.Runtime.Support;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime;

public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Continues a Faulted instance from its faulted step, or from <paramref name="fromStep"/>: the steps before it keep
    /// their state and outputs; that step, the steps that contain it and every step after it run again (an activity at
    /// its next attempt number, so its commands get new ids). <paramref name="inputs"/>, when given, are merged over the
    /// instance's inputs and checked against the workflow's input schema; the lock key is evaluated again and must be
    /// free. Journaled as <c>InstanceRetried</c>. Runs the instance until it is blocked or final, like a start.
    /// </summary>
    /// <returns>The step id the instance was retried from.</returns>
    /// <exception cref="WorkflowRetryException">No such instance, it is not faulted, or <paramref name="fromStep"/> is not a step of its workflow.</exception>
    /// <exception cref="WorkflowInputException">The merged inputs do not match the workflow's inputs.</exception>
    /// <exception cref="WorkflowLockedException">Another instance holds the lock key meanwhile.</exception>
    public async Task<string> RetryAsync(string instanceId, string? fromStep = null, JsonObject? inputs = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        WorkflowInstance retried;
        string stepId;
        using (await _locks.AcquireAsync(instanceId, ct).ConfigureAwait(false))
        {
            var instance = await _store.GetInstanceAsync(instanceId, ct).ConfigureAwait(false)
                ?? throw new WorkflowRetryException($"no instance '{instanceId}'", RetryRefusal.NotFound);
            if (instance.Status != InstanceStatus.Faulted)
                throw new WorkflowRetryException(
                    $"instance {instanceId} is {instance.Status.ToString().ToLowerInvariant()}, not faulted: only a faulted instance can be retried", RetryRefusal.NotFaulted);
            var index = await IndexByHashAsync(instance.DefinitionHash, ct).ConfigureAwait(false);
            var definition = index.Definition;
            var state = StateJson.Read(instance.State);
            stepId = fromStep ?? FaultedStep(state, index)
                ?? throw new WorkflowRetryException($"instance {instanceId} has no faulted step to retry from: name one (fromStep)", RetryRefusal.UnknownStep);
            if (index.Find(stepId) is null)
                throw new WorkflowRetryException(
                    $"instance {instanceId}: workflow '{definition.Name}' has no step '{stepId}'{Suggestions.DidYouMean(stepId, index.StepIds)} (steps: {string.Join(", ", index.StepIds)})",
                    RetryRefusal.UnknownStep);

            var merged = (JsonObject)instance.Input.DeepClone();
            foreach (var (name, value) in inputs ?? []) merged[name] = value?.DeepClone();
            var validated = InputValidator.Validate(definition, merged, _options.MaxInputBytes);
            var (rerun, kept) = ResetFrom(state, index, stepId);

            var now = _core.Now;
            retried = instance with
            {
                Status = InstanceStatus.Running,
                Fault = null,
                Output = null,
                Input = validated,
                State = StateJson.Write(state),
                UpdatedAt = now,
                LeaseOwner = _options.EngineId,
                LeaseUntil = now + _options.LeaseDuration,
                LockKey = LockKey(definition, validated, instanceId, instance.CorrelationId),
            };
            var journal = new JournalEntry
            {
                InstanceId = instanceId,
                At = now,
                StepPath = stepId,
                Kind = "InstanceRetried",
                Message = $"retried from step '{stepId}'; {kept} completed step{(kept == 1 ? "" : "s")} kept, {rerun} run again"
                    + (inputs is { Count: > 0 } ? $"; inputs changed: {string.Join(", ", inputs.Select(kv => kv.Key))}" : ""),
                Data = new JsonObject
                {
                    ["fromStep"] = stepId,
                    ["previousFault"] = instance.Fault,
                    ["inputs"] = inputs is { Count: > 0 } ? JsonSummary.Trim(inputs) : null,
                },
            };
            var version = await _store.CommitAsync(new InstanceCommit { Instance = retried, ExpectedVersion = instance.Version, Journal = [journal] }, ct)
                .ConfigureAwait(false);
            retried = retried with { Version = version };
            Log.InstanceRetried(_logger, instanceId, definition.Name, stepId);
            _core.Hub.Publish(new InstanceStatusChanged(instanceId, definition.Name, now, InstanceStatus.Running, null, null));
        }
        await ExecuteAsync(instanceId, RunAction.Continue, (retried, null), ct).ConfigureAwait(false);
        return stepId;
    }

    /// <summary>The first faulted activity in definition order (where the failure began), else the first faulted step.</summary>
    private static string? FaultedStep(InstanceState state, DefinitionIndex index)
    {
        var faulted = state.Steps.Values.Where(s => s.Status == StepStatus.Faulted).ToList();
        var order = Order(index);
        return faulted
            .OrderBy(s => StepTypes.IsStructural(s.Type) ? 1 : 0).ThenBy(s => order.GetValueOrDefault(s.StepId, int.MaxValue))
            .Select(s => s.StepId).FirstOrDefault();
    }

    /// <summary>
    /// Removes the state of <paramref name="stepId"/>, of the steps that contain it and of every step after it (they are
    /// created again by the walk), remembering each removed activity's next attempt. Returns how many entries were removed
    /// and how many completed ones are kept.
    /// </summary>
    private static (int Rerun, int Kept) ResetFrom(InstanceState state, DefinitionIndex index, string stepId)
    {
        var order = Order(index);
        var from = order[stepId];
        var ancestors = Ancestors(index.Definition.Steps, stepId) ?? [];
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, st) in state.Steps.ToList())
        {
            var at = order.GetValueOrDefault(st.StepId, int.MaxValue);
            if (at < from && !ancestors.Contains(st.StepId)) continue;
            state.Steps.Remove(path);
            removed.Add(path);
            if (!StepTypes.IsStructural(st.Type) && st.Attempt > 0)
                (state.RetryAttempts ??= new Dictionary<string, int>(StringComparer.Ordinal))[path] = st.Attempt + 1;
        }
        foreach (var (id, path) in state.Latest.ToList())
        {
            if (removed.Contains(path)) state.Latest.Remove(id);
        }
        state.CancelReason = null;
        return (removed.Count, state.Steps.Values.Count(s => s.Status == StepStatus.Completed));
    }

    private static Dictionary<string, int> Order(DefinitionIndex index) =>
        index.StepIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);

    /// <summary>The ids of the steps containing <paramref name="stepId"/> (outermost first), or null when it is not under <paramref name="steps"/>.</summary>
    private static List<string>? Ancestors(IEnumerable<StepDefinition> steps, string stepId)
    {
        foreach (var step in steps)
        {
            if (step.Id == stepId) return [];
            foreach (var list in step.Children)
            {
                if (Ancestors(list, stepId) is { } inner)
                {
                    inner.Insert(0, step.Id);
                    return inner;
                }
            }
        }
        return null;
    }
}
