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
    }

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
