using System.Collections.Immutable;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Engine.Definitions.Validation;

/// <summary>
/// The checks of <see cref="WorkflowValidator"/> over one definition: activities against the catalog,
/// expressions (syntax, <c>steps.X</c> and <c>inputs.X</c> references, unknown names), and numeric
/// settings. One instance per validation.
/// </summary>
internal sealed partial class DefinitionChecker
{
    private readonly WorkflowDefinition _definition;
    private readonly SourceMap _map;
    private readonly IActivityCatalog _catalog;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly Dictionary<string, StepInfo> _steps = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inputs;

    public DefinitionChecker(WorkflowDefinition definition, SourceMap map, IActivityCatalog catalog)
    {
        _definition = definition;
        _map = map;
        _catalog = catalog;
        _inputs = definition.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Where a step sits: its document order, its ancestors (nearest first) and the list slot it is in.</summary>
    private sealed record StepInfo(StepDefinition Step, int Order, ImmutableList<StepDefinition> Ancestors);

    public List<Diagnostic> Run()
    {
        var order = 0;
        Index(_definition.Steps, ImmutableList<StepDefinition>.Empty, ref order);
        CheckSteps(_definition.Steps, ImmutableHashSet.Create<string>(StringComparer.Ordinal));
        foreach (var (name, template) in _definition.Outputs)
            CheckTemplateNode(template, null, $"outputs/{Parsing.WorkflowReader.EscapePointer(name)}", ImmutableHashSet<string>.Empty);
        if (_definition.Lock is { } lockTemplate)
            CheckLock(lockTemplate);
        return _diagnostics;
    }

    private void Index(IEnumerable<StepDefinition> steps, ImmutableList<StepDefinition> ancestors, ref int order)
    {
        foreach (var step in steps)
        {
            _steps.TryAdd(step.Id, new StepInfo(step, order++, ancestors));
            var inner = ancestors.Insert(0, step);
            foreach (var list in step.Children)
                Index(list, inner, ref order);
        }
    }

    private void CheckSteps(IEnumerable<StepDefinition> steps, ImmutableHashSet<string> locals)
    {
        foreach (var step in steps)
            CheckStep(step, locals);
    }

    private void CheckStep(StepDefinition step, ImmutableHashSet<string> locals)
    {
        if (step.If is not null)
            CheckCondition(step.If, step, "if", locals);
        if (step.Timeout is not null && Expressions.ExpressionTemplate.MayContainExpression(step.Timeout))
            CheckTemplateText(step.Timeout, step, "timeout", locals);
        foreach (var broken in RunRules.Check(step))
            Error(broken.Step, broken.Field, broken.Message);
        if (step.Retry is { MaxAttempts: < 1 })
            Error(step, "retry/maxAttempts", $"'maxAttempts' of step '{step.Id}' must be 1 or more");

        switch (step)
        {
            case ActivityStep activity:
                CheckActivity(activity, locals);
                break;
            case SequenceStep s:
                CheckSteps(s.Steps, locals);
                break;
            case ParallelStep p:
                foreach (var branch in p.Branches)
                    CheckSteps(branch, locals);
                break;
            case ForEachStep f:
                CheckForEach(f, locals);
                break;
            case IfStep i:
                CheckCondition(i.Condition, step, "condition", locals);
                CheckSteps(i.Then, locals);
                CheckSteps(i.Else, locals);
                break;
            case SwitchStep sw:
                CheckSwitch(sw, locals);
                break;
            case WhileStep w:
                var inLoop = locals.Add("iteration");
                CheckCondition(w.Condition, step, "condition", inLoop);
                if (w.MaxIterations < 1)
                    Error(step, "maxIterations", $"'maxIterations' of step '{step.Id}' must be 1 or more");
                CheckSteps(w.Steps, inLoop);
                break;
            case TryStep t:
                CheckSteps(t.Steps, locals);
                if (t.Catch is not null)
                    CheckSteps(t.Catch, locals.Add("error"));
                CheckSteps(t.Finally, locals);
                break;
        }
    }

    private void CheckForEach(ForEachStep f, ImmutableHashSet<string> locals)
    {
        if (!Expressions.ExpressionTemplate.MayContainExpression(f.Items))
            Error(f, "items", $"'items' of step '{f.Id}' must be an expression giving a list, e.g. '${{ inputs.disks }}', or a YAML list");
        else
            CheckTemplateText(f.Items, f, "items", locals);
        if (f.MaxParallelism < 1)
            Error(f, "maxParallelism", $"'maxParallelism' of step '{f.Id}' must be 1 or more");
        CheckSteps(f.Steps, locals.Add(f.As).Add("index").Add(f.As + "Index"));
    }

    private void CheckSwitch(SwitchStep sw, ImmutableHashSet<string> locals)
    {
        if (!Expressions.ExpressionTemplate.MayContainExpression(sw.Value))
            Warning(sw, "value", $"'value' of step '{sw.Id}' is the constant '{sw.Value}': did you mean '${{ {sw.Value} }}'?");
        else
            CheckTemplateText(sw.Value, sw, "value", locals);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sw.Cases.Count; i++)
        {
            var match = sw.Cases[i].Match;
            CheckTemplateNode(match, sw, $"cases/{i}/value", locals);
            var key = match?.ToJsonString() ?? "null";
            if (!seen.Add(key))
                Warning(sw, $"cases/{i}/value", $"case {i + 1} of step '{sw.Id}' repeats the value {key}: it is never chosen");
            CheckSteps(sw.Cases[i].Steps, locals);
        }

        CheckSteps(sw.Default, locals);
    }

    private SourceLocation Where(StepDefinition? step, string path, int offset = 0) =>
        _map.Find(step, path, offset) ?? step?.Location ?? _definition.Location ?? new SourceLocation("<workflow>", 1, 1);

    private void Error(StepDefinition? step, string path, string message, int offset = 0) =>
        _diagnostics.Add(new Diagnostic(Where(step, path, offset), message));

    private void Warning(StepDefinition? step, string path, string message, int offset = 0) =>
        _diagnostics.Add(new Diagnostic(Where(step, path, offset), message, DiagnosticSeverity.Warning));
}
