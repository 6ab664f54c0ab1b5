using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace VirtFlow.Engine.Activities;

/// <summary>
/// What an activity sees of its instance. Everything an activity does to the outside goes through
/// here, so the runtime can save it in the same transaction as the instance's new state:
/// commands go to the outbox, progress to the journal.
/// </summary>
public abstract class ActivityContext
{
    public abstract string InstanceId { get; }
    public abstract string WorkflowName { get; }

    /// <summary>The step's id as written (or derived).</summary>
    public abstract string StepId { get; }

    /// <summary>The unique path of this execution of the step (differs per forEach item / while iteration).</summary>
    public abstract string StepPath { get; }

    /// <summary>1 for the first attempt, 2 after the first retry, and so on.</summary>
    public abstract int Attempt { get; }

    /// <summary>The step's <c>with:</c> inputs, evaluated, with declared defaults applied.</summary>
    public abstract JsonObject Inputs { get; }

    /// <summary>
    /// The evaluated inputs read into the activity's input record (<see cref="InputRecords.InputBinder{T}"/>): read once per
    /// context (a context serves one call), then the same record. Throws <see cref="ActivityInputException"/> for a bad input.
    /// </summary>
    public T Bind<T>()
        where T : class
    {
        if (_bound is T bound && bound.GetType() == typeof(T)) return bound;
        var fresh = InputRecords.InputBinder<T>.Bind(Inputs);
        _bound = fresh;
        return fresh;
    }

    /// <summary>
    /// The evaluated inputs read into <paramref name="record"/> (an activity's <see cref="ActivityDescriptor.InputRecord"/>), once
    /// per context, as <see cref="Bind{T}"/>.
    /// </summary>
    public object Bind(Type record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_bound is { } bound && bound.GetType() == record) return bound;
        var fresh = InputRecords.InputBinder.Bind(record, Inputs);
        _bound = fresh;
        return fresh;
    }

    private object? _bound;

    /// <summary>The activity's own state, persisted with the instance between execute and resume.</summary>
    public abstract JsonObject State { get; }

    public abstract TimeProvider Clock { get; }
    public abstract ILogger Logger { get; }
    public abstract IServiceProvider Services { get; }

    /// <summary>The store's counted limits (<c>limit.acquire</c>, <c>limit.release</c>); null when the store has none.</summary>
    public virtual Storage.Limits.ICountedLimitStore? Limits => null;

    /// <summary>
    /// Queues a command for <paramref name="destination"/> (a host id, or a queue name). It is written to
    /// the outbox in the same transaction as the step's new state and sent after the commit, at least once.
    /// Returns the command's id, deterministic for (instance, step path, attempt, n-th command of the
    /// attempt), so a receiver can drop a duplicate and a replay after a crash re-uses the same id.
    /// </summary>
    public abstract string SendCommand(string destination, string messageType, JsonObject payload);

    /// <summary>Adds a line to the instance's journal (saved with the next commit) and to the live event stream.</summary>
    public abstract void Journal(string kind, string message, JsonNode? data = null);

    /// <summary>Reports progress: live event at once, journal at the next commit (coalesced per step).</summary>
    public abstract void ReportProgress(JsonObject progress);

    public abstract JsonNode? GetVariable(string name);
    public abstract void SetVariable(string name, JsonNode? value);

    /// <summary>Evaluates a JavaScript expression in the step's scope (inputs, vars, steps, loop variables).</summary>
    public abstract JsonNode? Evaluate(string expression);
}
