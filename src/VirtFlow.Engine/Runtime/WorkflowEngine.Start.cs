using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Runtime.Execution;
using VirtFlow.Engine.Runtime.State;
using VirtFlow.Engine.Runtime.Support;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime;

public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Starts an instance of <paramref name="definition"/> and runs it until it is blocked (waiting on
    /// events or timers) or final. Inputs are checked and defaulted against the definition's inputs.
    /// When <see cref="StartOptions.InstanceId"/> names an existing instance nothing is started (a duplicated
    /// start message is harmless) and that id is returned.
    /// </summary>
    /// <returns>The instance's id.</returns>
    /// <exception cref="WorkflowInputException">
    /// A required input is missing, an input has the wrong type, an item has a property its schema does not declare, or the
    /// inputs are larger than <see cref="WorkflowEngineOptions.MaxInputBytes"/>.
    /// </exception>
    /// <exception cref="WorkflowEngineException">The definition cannot run (no hash, duplicate step ids, bad variables).</exception>
    public async Task<string> StartAsync(WorkflowDefinition definition, JsonObject? inputs = null, StartOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= new StartOptions();
        var index = Index(definition);
        var validated = InputValidator.Validate(definition, inputs ?? new JsonObject(), _options.MaxInputBytes);
        var id = options.InstanceId ?? Guid.NewGuid().ToString("N");
        if (options.InstanceId is not null && await _store.GetInstanceAsync(id, ct).ConfigureAwait(false) is not null)
        {
            Log.DuplicateStart(_logger, id, definition.Name);
            return id;
        }
        var lockKey = LockKey(definition, validated, id, options);
        await SaveDefinitionAsync(definition, ct).ConfigureAwait(false);

        var now = _core.Now;
        var state = new InstanceState { Vars = InitialVariables(definition, validated, id, options) };
        var instance = new WorkflowInstance
        {
            Id = id,
            WorkflowName = definition.Name,
            WorkflowVersion = definition.Version,
            DefinitionHash = definition.Hash,
            Status = InstanceStatus.Running,
            CorrelationId = options.CorrelationId,
            ParentInstanceId = options.ParentInstanceId,
            ParentStepPath = options.ParentStepPath,
            Input = validated,
            State = StateJson.Write(state),
            CreatedAt = now,
            UpdatedAt = now,
            LeaseOwner = _options.EngineId,
            LeaseUntil = now + _options.LeaseDuration,
            LockKey = lockKey,
        };
        var started = new JournalEntry
        {
            InstanceId = id,
            At = now,
            Kind = "InstanceStarted",
            Message = $"workflow '{definition.Name}' v{definition.Version} started",
            Data = new JsonObject
            {
                ["workflow"] = definition.Name,
                ["definitionHash"] = definition.Hash,
                ["inputs"] = JsonSummary.Trim(validated),
                ["parentInstanceId"] = options.ParentInstanceId,
                ["lock"] = lockKey,
            },
        };
        long version;
        try
        {
            version = await _store.CommitAsync(new InstanceCommit { Instance = instance, ExpectedVersion = 0, Journal = [started] }, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyException)
        {
            Log.DuplicateStart(_logger, id, definition.Name);
            return id;
        }
        catch (WorkflowLockedException e)
        {
            Log.StartLocked(_logger, id, definition.Name, e.LockKey, e.HolderInstanceId);
            throw;
        }
        Log.InstanceStarted(_logger, id, definition.Name, definition.Version);
        _core.Hub.Publish(new InstanceStatusChanged(id, definition.Name, now, InstanceStatus.Running, null, null));
        // the state as an object, as its JSON (just written) would read back: the run does not parse it again
        state.Loaded();
        await ExecuteAsync(id, RunAction.Continue, (instance with { Version = version }, state), ct).ConfigureAwait(false);
        return id;
    }

    /// <summary>The definition prepared for running, cached by hash.</summary>
    private DefinitionIndex Index(WorkflowDefinition definition)
    {
        if (string.IsNullOrEmpty(definition.Hash))
            throw new WorkflowEngineException($"workflow '{definition.Name}' has no hash: load definitions with WorkflowParser.Parse");
        return _indexes.GetOrAdd(definition.Hash, _ => new DefinitionIndex(definition));
    }

    private async Task SaveDefinitionAsync(WorkflowDefinition definition, CancellationToken ct)
    {
        if (_savedDefinitions.ContainsKey(definition.Hash)) return;
        await _store.SaveDefinitionAsync(
            new StoredDefinition(definition.Hash, definition.Name, definition.Version, definition.CanonicalJson, _core.Now), ct).ConfigureAwait(false);
        _savedDefinitions[definition.Hash] = true;
    }

    /// <summary>The definition an instance runs: the exact one it started with.</summary>
    private async ValueTask<DefinitionIndex> IndexByHashAsync(string hash, CancellationToken ct)
    {
        if (_indexes.TryGetValue(hash, out var index)) return index;
        var definition = await _definitions.FindByHashAsync(hash, ct).ConfigureAwait(false)
            ?? throw new WorkflowDefinitionNotFoundException(hash);
        return Index(definition);
    }

    /// <summary><c>variables:</c> of the definition, evaluated once (they may use inputs).</summary>
    private JsonObject InitialVariables(WorkflowDefinition definition, JsonObject inputs, string id, StartOptions options)
    {
        if (definition.Variables.Count == 0) return new JsonObject();
        try
        {
            var scope = new ExpressionScope
            {
                Inputs = (JsonObject)inputs.DeepClone(),
                Instance = new JsonObject { ["id"] = id, ["workflow"] = definition.Name, ["correlationId"] = options.CorrelationId },
                StepId = "variables",
            };
            // the evaluator only reads the template (made readable by the definition's index) and gives back a new object
            return _core.Evaluator.EvaluateTemplate(definition.Variables, scope) as JsonObject ?? new JsonObject();
        }
        catch (ExpressionException ex)
        {
            throw new WorkflowEngineException($"workflow '{definition.Name}': variables: {ex.Message}", ex);
        }
    }
}
