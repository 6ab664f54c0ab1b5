using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>A definition prepared for running: every step by id (ids must be unique: they make the execution paths).</summary>
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
            if (step.Retry is not null && step is not ActivityStep)
                throw new WorkflowEngineException($"workflow '{definition.Name}': 'retry' is supported on activity steps only, not on {step.Type} '{step.Id}'");
            if (step.Id.AsSpan().IndexOfAny("/[]#") >= 0)
                throw new WorkflowEngineException($"workflow '{definition.Name}': step id '{step.Id}' must not contain '/', '[', ']' or '#'");
        }
        StepIds = [.. _steps.Keys];
        foreach (var step in _steps.Values)
        {
            if (step is ActivityStep a && ContainsExpression(a.With)) _templatedInputs.Add(step.Id);
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
