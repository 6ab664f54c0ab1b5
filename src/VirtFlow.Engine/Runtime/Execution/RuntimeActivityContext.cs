using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>
/// The context of one execution (execute, resume or abandon) of an activity. Everything the activity
/// does is buffered here and applied to the instance on the run's logical thread with the outcome:
/// commands (outbox), journal lines, variable writes, its state. Used by one activity task at a time.
/// </summary>
internal sealed class RuntimeActivityContext : ActivityContext, IScriptContext
{
    private readonly EngineCore _core;
    private readonly ExpressionScope _scope;
    private readonly JsonObject _vars;
    private readonly int _cmdSeqBase;

    public RuntimeActivityContext(
        EngineCore core,
        WorkflowInstance instance,
        string stepId,
        string stepPath,
        int attempt,
        JsonObject inputs,
        JsonObject state,
        int cmdSeqBase,
        ExpressionScope scope,
        ILogger logger)
    {
        _core = core;
        InstanceId = instance.Id;
        WorkflowName = instance.WorkflowName;
        StepId = stepId;
        StepPath = stepPath;
        Attempt = attempt;
        Inputs = inputs;
        State = state;
        _cmdSeqBase = cmdSeqBase;
        _scope = scope;
        _vars = scope.Variables;
        Logger = logger;
    }

    public override string InstanceId { get; }
    public override string WorkflowName { get; }
    public override string StepId { get; }
    public override string StepPath { get; }
    public override int Attempt { get; }
    public override JsonObject Inputs { get; }
    public override JsonObject State { get; }
    public override TimeProvider Clock => _core.Clock;
    public override ILogger Logger { get; }
    public override IServiceProvider Services => _core.Services;
    public override Storage.Limits.ICountedLimitStore? Limits => _core.Store as Storage.Limits.ICountedLimitStore;

    /// <summary>Commands sent, in order. Null until the first.</summary>
    public List<OutboxMessage>? Commands { get; private set; }

    /// <summary>Journal lines written. Null until the first.</summary>
    public List<JournalEntry>? JournalLines { get; private set; }

    /// <summary>
    /// The last progress reported per subject (its <c>device</c>, else <c>jobId</c>): one journal line each, so an
    /// execution that reports several disks at once journals every disk, not only the last. Null until a report.
    /// </summary>
    public Dictionary<string, JsonObject>? LastProgress { get; private set; }

    /// <summary>Variables written: name → value (null removes). The values are this context's own copies: applying the outcome hands them to the state.</summary>
    public Dictionary<string, JsonNode?> VariableWrites { get; } = new(StringComparer.Ordinal);

    public int CommandsSent => Commands?.Count ?? 0;

    public override string SendCommand(string destination, string messageType, JsonObject payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentException.ThrowIfNullOrEmpty(messageType);
        ArgumentNullException.ThrowIfNull(payload);
        if (!_core.HasTransport && destination != EngineDestinations.Engine)
        {
            throw new InvalidOperationException(
                $"step '{StepId}' sends {messageType} to '{destination}', but the engine has no outbox transport configured");
        }
        var id = CommandIds.For(InstanceId, StepPath, Attempt, _cmdSeqBase + CommandsSent + 1);
        Commands ??= [];
        Commands.Add(new OutboxMessage
        {
            Id = id,
            InstanceId = InstanceId,
            Destination = destination,
            MessageType = messageType,
            Payload = (JsonObject)payload.DeepClone(),
            CreatedAt = _core.Now,
        });
        return id;
    }

    public override void Journal(string kind, string message, JsonNode? data = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        JournalLines ??= [];
        JournalLines.Add(new JournalEntry
        {
            InstanceId = InstanceId,
            At = _core.Now,
            StepPath = StepPath,
            Kind = kind,
            Message = message,
            Data = data?.DeepClone(),
        });
    }

    public override void ReportProgress(JsonObject progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var subject = progress["device"] is JsonValue d && d.TryGetValue(out string? device) ? device
            : progress["jobId"] is JsonValue j && j.TryGetValue(out string? job) ? job : "";
        LastProgress ??= new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        LastProgress[subject] = (JsonObject)progress.DeepClone();
        _core.Hub.Publish(new ProgressReported(InstanceId, WorkflowName, _core.Now, StepPath, StepId, (JsonObject)progress.DeepClone()));
    }

    public override JsonNode? GetVariable(string name) => _vars[name]?.DeepClone();

    public override void SetVariable(string name, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _vars[name] = value?.DeepClone();
        VariableWrites[name] = value?.DeepClone();
    }

    public override JsonNode? Evaluate(string expression) => _core.Evaluator.Evaluate(expression, _scope);

    public JsonNode? RunScript(string code)
    {
        var before = (JsonObject)_vars.DeepClone();
        var result = _core.Evaluator.RunScript(code, _scope);
        foreach (var (name, value) in _vars)
        {
            if (!before.TryGetPropertyValue(name, out var old) || !JsonNode.DeepEquals(old, value))
                VariableWrites[name] = value?.DeepClone();
        }
        foreach (var (name, _) in before)
        {
            if (!_vars.ContainsKey(name)) VariableWrites[name] = null;
        }
        return result;
    }
}
