using VirtFlow.Engine.Definitions;

namespace VirtFlow.Hosting.Catalog;

/// <summary>A definition's steps as a tree for a designer: each step's id, type, name, position, and its child lists by slot.</summary>
public static class StepGraph
{
    /// <summary>The top-level steps with their children.</summary>
    public static IReadOnlyList<StepNode> Of(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Nodes(definition.Steps);
    }

    /// <summary>Every step of the definition, parents before their children, in file order.</summary>
    public static IEnumerable<StepDefinition> Flatten(IEnumerable<StepDefinition> steps) =>
        steps.SelectMany(s => new[] { s }.Concat(s.Children.SelectMany(Flatten)));

    private static List<StepNode> Nodes(IEnumerable<StepDefinition> steps) => steps.Select(Node).ToList();

    private static StepNode Node(StepDefinition step) => new(
        step.Id, step.Type, step.DisplayName, step.HasExplicitId, step.Location?.Line, step.Location?.Column,
        Slots(step).Select(s => new StepBranch(s.Slot, Nodes(s.Steps))).ToList());

    /// <summary>The child lists of a step, named as in derived step ids (<c>steps</c>, <c>then</c>, <c>branches.2</c>, <c>cases.1</c>...).</summary>
    private static IEnumerable<(string Slot, IReadOnlyList<StepDefinition> Steps)> Slots(StepDefinition step) => step switch
    {
        ParallelStep p => p.Branches.Select((b, i) => ($"branches.{i + 1}", b)),
        IfStep i => [("then", i.Then), ("else", i.Else)],
        SwitchStep s => s.Cases.Select((c, i) => ($"cases.{i + 1}", c.Steps)).Append(("default", s.Default)),
        TryStep t => t.Catch is null ? [("steps", t.Steps), ("finally", t.Finally)] : [("steps", t.Steps), ("catch", t.Catch), ("finally", t.Finally)],
        _ => step.Children.Select(c => ("steps", c)),
    };
}

/// <summary>A step in the graph; <see cref="Line"/> and <see cref="Column"/> are where it is written (1-based).</summary>
public sealed record StepNode(string Id, string Type, string? Name, bool ExplicitId, int? Line, int? Column, IReadOnlyList<StepBranch> Children);

/// <summary>One child list of a step.</summary>
public sealed record StepBranch(string Slot, IReadOnlyList<StepNode> Steps);
