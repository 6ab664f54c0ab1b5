using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Definitions;

/// <summary>
/// One step of a workflow. Every step has an <see cref="Id"/> (written by the author, or derived from
/// its position such as <c>step-3</c> or <c>try-1.catch.2</c>), and optional common settings:
/// <c>if</c> (skip unless true), <c>timeout</c>, <c>retry</c>, <c>continueOnError</c>.
/// </summary>
public abstract record StepDefinition
{
    public required string Id { get; init; }

    /// <summary>True when the author wrote the id (only those can be referenced as <c>steps.ID</c>).</summary>
    public bool HasExplicitId { get; init; }

    /// <summary>The step's <c>type</c> as written: an activity name (<c>log</c>, <c>vm.mirror</c>) or a control-flow kind.</summary>
    public required string Type { get; init; }

    public string? DisplayName { get; init; }

    /// <summary><c>if:</c> template; the step is Skipped when it evaluates falsy.</summary>
    public string? If { get; init; }

    /// <summary><c>timeout:</c> template, a duration (<c>30s</c>, <c>1h30m</c>, <c>PT5M</c>).</summary>
    public string? Timeout { get; init; }

    public RetryPolicy? Retry { get; init; }
    public bool ContinueOnError { get; init; }
    public SourceLocation? Location { get; init; }

    /// <summary>The step lists nested directly in this step (for walking the tree).</summary>
    public virtual IEnumerable<IReadOnlyList<StepDefinition>> Children => [];
}

/// <summary>Retry of a faulted activity: up to <see cref="MaxAttempts"/> in all, waiting <see cref="Delay"/> times <see cref="Backoff"/>^n.</summary>
public sealed record RetryPolicy(int MaxAttempts, string Delay = "1s", double Backoff = 2.0);

/// <summary>A plug-in activity (<c>type: vm.mirror</c>) with its inputs under <c>with:</c>.</summary>
public sealed record ActivityStep : StepDefinition
{
    /// <summary>Input name → template.</summary>
    public JsonObject With { get; init; } = new();
}

/// <summary><c>type: sequence</c>: run <see cref="Steps"/> one after another.</summary>
public sealed record SequenceStep : StepDefinition
{
    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];
    public override IEnumerable<IReadOnlyList<StepDefinition>> Children => [Steps];
}

/// <summary><c>type: parallel</c>: run every branch at once (fork), complete when all complete (join); the first fault cancels the others.</summary>
public sealed record ParallelStep : StepDefinition
{
    public IReadOnlyList<IReadOnlyList<StepDefinition>> Branches { get; init; } = [];
    public override IEnumerable<IReadOnlyList<StepDefinition>> Children => Branches;
}

/// <summary><c>type: forEach</c>: run <see cref="Steps"/> for each item of <see cref="Items"/>, at most <see cref="MaxParallelism"/> at once.</summary>
public sealed record ForEachStep : StepDefinition
{
    /// <summary>Template that evaluates to an array.</summary>
    public required string Items { get; init; }

    /// <summary>Name of the loop variable (default <c>item</c>); <c>index</c> (or <c>{As}Index</c>) holds the position.</summary>
    public string As { get; init; } = "item";

    public int MaxParallelism { get; init; } = 1;
    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];
    public override IEnumerable<IReadOnlyList<StepDefinition>> Children => [Steps];
}

/// <summary><c>type: if</c>: <see cref="Then"/> when <see cref="Condition"/> is truthy, else <see cref="Else"/>.</summary>
public sealed record IfStep : StepDefinition
{
    public required string Condition { get; init; }
    public IReadOnlyList<StepDefinition> Then { get; init; } = [];
    public IReadOnlyList<StepDefinition> Else { get; init; } = [];
    public override IEnumerable<IReadOnlyList<StepDefinition>> Children => [Then, Else];
}

/// <summary><c>type: switch</c>: the first case whose <c>value</c> equals (JSON equality) <see cref="Value"/>, else <see cref="Default"/>.</summary>
public sealed record SwitchStep : StepDefinition
{
    public required string Value { get; init; }
    public IReadOnlyList<SwitchCase> Cases { get; init; } = [];
    public IReadOnlyList<StepDefinition> Default { get; init; } = [];
    public override IEnumerable<IReadOnlyList<StepDefinition>> Children => Cases.Select(c => c.Steps).Append(Default);
}

/// <summary>One case of a switch: a value (template) and its steps.</summary>
public sealed record SwitchCase(JsonNode? Match, IReadOnlyList<StepDefinition> Steps, SourceLocation? Location = null);

/// <summary><c>type: while</c>: repeat <see cref="Steps"/> while <see cref="Condition"/> is truthy; faults after <see cref="MaxIterations"/>.</summary>
public sealed record WhileStep : StepDefinition
{
    public required string Condition { get; init; }
    public int MaxIterations { get; init; } = 1000;
    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];
    public override IEnumerable<IReadOnlyList<StepDefinition>> Children => [Steps];
}

/// <summary>
/// <c>type: try</c>: run <see cref="Steps"/>; on a fault run <see cref="Catch"/> with the error in
/// <c>error</c> (<c>{ message, step, type }</c>); always run <see cref="Finally"/>. A fault without a catch
/// (or inside the catch) is raised again after finally.
/// </summary>
public sealed record TryStep : StepDefinition
{
    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];
    public IReadOnlyList<StepDefinition>? Catch { get; init; }
    public IReadOnlyList<StepDefinition> Finally { get; init; } = [];
    public override IEnumerable<IReadOnlyList<StepDefinition>> Children =>
        Catch is null ? [Steps, Finally] : [Steps, Catch, Finally];
}
