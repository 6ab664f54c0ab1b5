using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>
/// A definition prepared for running: every step by id (ids must be unique: they make the execution paths). What it refuses
/// is <see cref="Definitions.Validation.RunRules"/>, which the validator reports too (a definition loaded through
/// <see cref="WorkflowCheck"/> never fails here).
/// </summary>
internal sealed class DefinitionIndex
{
    private readonly Dictionary<string, StepDefinition> _steps = new(StringComparer.Ordinal);

    public DefinitionIndex(WorkflowDefinition definition)
    {
        Definition = definition;
        foreach (var step in Flatten(definition.Steps))
        {
            if (!_steps.TryAdd(step.Id, step))
                throw new WorkflowEngineException($"workflow '{definition.Name}' has two steps with the id '{step.Id}'; step ids must be unique");
            foreach (var broken in Definitions.Validation.RunRules.Check(step))
                throw new WorkflowEngineException($"workflow '{definition.Name}': {broken.Message}");
        }
        JsonValues.Readable(definition.Variables); // read by every start, from many threads at once (see the with: below)
        StepIds = [.. _steps.Keys];
        StepSlots = StepIds.Select((id, slot) => KeyValuePair.Create(id, slot)).ToDictionary(StringComparer.Ordinal);
        foreach (var step in _steps.Values)
        {
            if (step is not ActivityStep a) continue;
            JsonValues.Readable(a.With); // runs read it from many threads at once: nothing in it may be left to build on first read
            if (ContainsExpression(a.With)) _templatedInputs.Add(step.Id);
        }
    }

    private readonly HashSet<string> _templatedInputs = new(StringComparer.Ordinal);

    /// <summary>True when the step's <c>with:</c> has a <c>${ }</c> somewhere (else its inputs are a plain copy).</summary>
    public bool HasTemplatedInputs(string stepId) => _templatedInputs.Contains(stepId);

    private static bool ContainsExpression(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.Any(kv => ContainsExpression(kv.Value)),
        System.Text.Json.Nodes.JsonArray a => a.Any(ContainsExpression),
        System.Text.Json.Nodes.JsonValue v => v.GetValueKind() == System.Text.Json.JsonValueKind.String
            && Expressions.ExpressionTemplate.MayContainExpression(v.GetValue<string>()),
        _ => false,
    };

    public WorkflowDefinition Definition { get; }

    /// <summary>Every step id, in definition order.</summary>
    public IReadOnlyList<string> StepIds { get; }

    /// <summary>Each step id's index in <see cref="StepIds"/>.</summary>
    public IReadOnlyDictionary<string, int> StepSlots { get; }

    public StepDefinition? Find(string stepId) => _steps.GetValueOrDefault(stepId);

    private static IEnumerable<StepDefinition> Flatten(IEnumerable<StepDefinition> steps)
    {
        foreach (var step in steps)
        {
            yield return step;
            foreach (var list in step.Children)
            {
                foreach (var child in Flatten(list)) yield return child;
            }
        }
    }
}
