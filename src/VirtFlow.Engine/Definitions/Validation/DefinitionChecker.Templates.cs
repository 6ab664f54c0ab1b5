using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acornima;
using Acornima.Ast;
using VirtFlow.Engine.Expressions;

namespace VirtFlow.Engine.Definitions.Validation;

/// <summary>Templates and expressions: syntax (with positions inside the file) and what they refer to.</summary>
internal sealed partial class DefinitionChecker
{
    private static readonly string[] StepMembers = ["status", "outputs", "error", "attempt", "startedAt", "completedAt"];

    /// <summary>A condition: a template, or a bare expression when it has no <c>${</c> (see <see cref="JintExpressionEvaluator.EvaluateCondition"/>).</summary>
    private void CheckCondition(string text, StepDefinition step, string path, ImmutableHashSet<string> locals)
    {
        if (ExpressionTemplate.MayContainExpression(text))
            CheckTemplateText(text, step, path, locals);
        else if (!string.IsNullOrWhiteSpace(text))
            CheckCode(text, 0, isScript: false, step, path, locals);
    }

    private void CheckTemplateNode(JsonNode? node, StepDefinition? step, string path, ImmutableHashSet<string> locals)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                    CheckTemplateNode(value, step, SourceMap.Member(path, key), locals);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    CheckTemplateNode(array[i], step, SourceMap.Item(path, i), locals);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.TryGetValue<string>(out var text):
                if (ExpressionTemplate.MayContainExpression(text))
                    CheckTemplateText(text, step, path, locals);
                break;
        }
    }

    private void CheckTemplateText(string text, StepDefinition? step, string path, ImmutableHashSet<string> locals)
    {
        if (!ExpressionTemplate.TryParse(text, out var template, out var error))
        {
            Error(step, path, $"{Owner(step)}: {error!.Message}", error.Offset);
            return;
        }

        foreach (var part in template.Parts.Where(p => p.IsExpression))
            CheckCode(part.Text, part.Offset, isScript: false, step, path, locals);
    }

    /// <summary>Checks one expression or script found at <paramref name="offset"/> in the field's text.</summary>
    private void CheckCode(string code, int offset, bool isScript, StepDefinition? step, string path, ImmutableHashSet<string> locals)
    {
        Node root;
        try
        {
            root = isScript ? JsSyntax.ParseScript(code) : JsSyntax.ParseExpression(code);
        }
        catch (ParseErrorException e)
        {
            var at = e.Error.IsIndexDefined ? e.Error.Index : 0;
            Error(step, path, $"{Owner(step)}: syntax error in {(isScript ? "script" : "expression")} '{Shorten(code)}': {e.Description ?? e.Message}", offset + at);
            return;
        }

        var analysis = new ExpressionAnalysis(root);
        foreach (var (path2, at) in analysis.Chains("steps"))
            CheckStepReference(path2, step, path, offset + at);
        foreach (var (path2, at) in analysis.Chains("inputs"))
            CheckInputReference(path2, step, path, offset + at);
        foreach (var (name, at) in analysis.FreeNames)
        {
            if (JsGlobals.Scope.Contains(name) || JsGlobals.Helpers.Contains(name) || JsGlobals.Standard.Contains(name) || locals.Contains(name))
                continue;
            var known = JsGlobals.Scope.Concat(JsGlobals.Helpers).Concat(locals);
            var hint = Suggestions.DidYouMean(name, known);
            Warning(step, path, $"{Owner(step)}: unknown name '{name}'{hint} (expressions see inputs, vars, steps, instance{(locals.IsEmpty ? "" : ", " + string.Join(", ", locals.Order(StringComparer.Ordinal)))} and duration(), now(), json())", offset + at);
        }
    }

    private void CheckInputReference(IReadOnlyList<string> path, StepDefinition? step, string field, int offset)
    {
        if (path.Count == 0 || _inputs.Contains(path[0]))
            return;
        var declared = _inputs.Count == 0 ? "the workflow declares no inputs" : "declared: " + string.Join(", ", _inputs);
        var owner = step is null && field == LockPath ? "the workflow's lock" : Owner(step);
        Error(step, field, $"{owner}: 'inputs.{path[0]}' is not a declared input{Suggestions.DidYouMean(path[0], _inputs)} ({declared})", offset);
    }

    private void CheckStepReference(IReadOnlyList<string> path, StepDefinition? from, string field, int offset)
    {
        if (path.Count == 0)
            return;
        var id = path[0];
        if (!_steps.TryGetValue(id, out var target))
        {
            var ids = _steps.Values.Where(s => s.Step.HasExplicitId).Select(s => s.Step.Id);
            Error(from, field, $"{Owner(from)}: 'steps.{id}' refers to no step{Suggestions.DidYouMean(id, ids)}", offset);
            return;
        }

        if (!target.Step.HasExplicitId)
        {
            Error(from, field, $"{Owner(from)}: step '{id}' has no id of its own: give it an 'id:' to use its result", offset);
            return;
        }

        if (from is not null && Visibility(from, target) is { } problem)
            Error(from, field, $"{Owner(from)}: 'steps.{id}' {problem}", offset);

        if (path.Count > 1 && !StepMembers.Contains(path[1], StringComparer.Ordinal))
        {
            Warning(from, field, $"{Owner(from)}: 'steps.{id}.{path[1]}' is not a member of a step's result{Suggestions.DidYouMean(path[1], StepMembers)} (members: {string.Join(", ", StepMembers)})", offset);
        }
        else if (path.Count > 2 && path[1] == "outputs" && target.Step is ActivityStep activity
                 && _catalog.Find(activity.Type) is { Outputs.Count: > 0 } descriptor
                 && !descriptor.Outputs.Any(o => o.Name == "*" || o.Name == path[2]))
        {
            var names = descriptor.Outputs.Select(o => o.Name).ToList();
            Warning(from, field, $"{Owner(from)}: activity '{activity.Type}' has no output '{path[2]}'{Suggestions.DidYouMean(path[2], names)} (outputs: {string.Join(", ", names)})", offset);
        }
    }

    /// <summary>Why <paramref name="from"/> cannot see the result of <paramref name="target"/>, or null when it can.</summary>
    private string? Visibility(StepDefinition from, StepInfo target)
    {
        if (ReferenceEquals(from, target.Step))
            return "is this step itself: its result does not exist while its settings are evaluated";
        if (!_steps.TryGetValue(from.Id, out var source) || IndexOf(target.Ancestors, from) >= 0)
            return null; // a step may look at the steps inside it (a while condition at its body's results)
        if (IndexOf(source.Ancestors, target.Step) >= 0)
            return $"contains step '{from.Id}': its result is not there yet";
        var shared = source.Ancestors.FirstOrDefault(a => IndexOf(target.Ancestors, a) >= 0);
        if (shared is ParallelStep parallel && BranchOf(parallel, source) != BranchOf(parallel, target))
            return $"runs in another branch of parallel step '{parallel.Id}': its result may not be there yet";
        if (target.Order < source.Order)
            return null;
        var inSameLoop = source.Ancestors.Any(a => a is WhileStep or ForEachStep && IndexOf(target.Ancestors, a) >= 0);
        return inSameLoop ? null : $"runs after step '{from.Id}': its result is not there yet";
    }

    /// <summary>The index of the branch of <paramref name="parallel"/> that holds the step.</summary>
    private static int BranchOf(ParallelStep parallel, StepInfo info)
    {
        var i = IndexOf(info.Ancestors, parallel);
        var child = i > 0 ? info.Ancestors[i - 1] : info.Step;
        for (var b = 0; b < parallel.Branches.Count; b++)
        {
            if (parallel.Branches[b].Any(s => ReferenceEquals(s, child)))
                return b;
        }

        return -1;
    }

    private static int IndexOf(ImmutableList<StepDefinition> list, StepDefinition step)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], step))
                return i;
        }

        return -1;
    }

    private static string Owner(StepDefinition? step) => step is null ? "workflow outputs" : $"step '{step.Id}'";

    private static string Shorten(string code)
    {
        var oneLine = string.Join(' ', code.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= 60 ? oneLine : oneLine[..59] + "…";
    }
}
