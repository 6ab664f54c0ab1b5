using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions.Limits;
using YamlDotNet.RepresentationModel;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>Steps: the settings every step has, activities, and the ids of steps.</summary>
internal sealed partial class WorkflowReader
{
    private static readonly string[] CommonFields = ["type", "id", "name", "if", "timeout", "retry", "continueOnError"];
    private static readonly string[] RetryFields = ["maxAttempts", "delay", "backoff"];

    private static readonly Dictionary<string, string[]> SpecificFields = new(StringComparer.Ordinal)
    {
        [StepTypes.Sequence] = ["steps"],
        [StepTypes.Parallel] = ["branches"],
        [StepTypes.ForEach] = ["items", "as", "maxParallelism", "steps"],
        [StepTypes.If] = ["condition", "then", "else"],
        [StepTypes.Switch] = ["value", "cases", "default"],
        [StepTypes.While] = ["condition", "maxIterations", "steps"],
        [StepTypes.Try] = ["steps", "catch", "finally"],
    };

    private static readonly string[] ActivityFields = ["with"];

    /// <summary>The settings shared by all steps, read before the step's own fields.</summary>
    private sealed record CommonSettings(
        string Id, bool HasExplicitId, string Type, string? DisplayName, string? If, string? Timeout,
        RetryPolicy? Retry, bool ContinueOnError, SourceLocation Location);

    private List<StepDefinition> ReadStepList(YamlNode? node, string? parentId, string slot, string what)
    {
        var steps = new List<StepDefinition>();
        if (node is null || AsSequence(node, what) is not { } seq)
            return steps;
        if (seq.Children.Count > 0 && _stepDepth >= _limits.MaxStepDepth)
        {
            var first = Loc(seq.Children[0]);
            throw new WorkflowLimitException(first.Line, first.Column, $"steps nest deeper than {_limits.MaxStepDepth} levels here (limit MaxStepDepth)");
        }

        _stepDepth++;
        for (var i = 0; i < seq.Children.Count; i++)
        {
            if (ReadStep(seq.Children[i], StepIds.Derive(parentId, slot, i + 1)) is { } step)
                steps.Add(step);
        }

        _stepDepth--;
        return steps;
    }

    private StepDefinition? ReadStep(YamlNode node, string derivedId)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, $"step '{derivedId}' must be a mapping with a 'type' (e.g. '- type: log')");
            return null;
        }

        var typeNode = map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "type" }).Value;
        var type = typeNode is null ? null : ReadString(typeNode, $"the type of step '{derivedId}'");
        if (typeNode is null)
            Error(map, $"step '{derivedId}' has no 'type' (an activity such as 'log', or {string.Join(", ", StepTypes.All)})");
        type ??= "";

        var structural = SpecificFields.TryGetValue(type, out var specific);
        var allowed = CommonFields.Concat(structural ? specific! : ActivityFields).ToArray();
        var idNode = map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "id" }).Value;
        var common = ReadCommon(map, type, derivedId, idNode);
        var hint = structural
            ? $"a {type} step takes: {string.Join(", ", allowed)}"
            : $"an activity step takes: {string.Join(", ", allowed)}; activity inputs go under 'with:'";
        var f = Fields(map, $"step '{common.Id}'", allowed, hint);
        if (f.TryGetValue("name", out var n))
            common = common with { DisplayName = ReadString(n.Value, $"'name' of step '{common.Id}'") };
        if (f.TryGetValue("if", out var cond))
            common = common with { If = ReadTemplate(cond.Value, common.Location, "if", $"'if' of step '{common.Id}'") };
        if (f.TryGetValue("timeout", out var timeout))
        {
            if (timeout.Value is YamlScalarNode ts)
                _map.AddScalar(common.Location, "timeout", new ScalarSpan(_file, _source, ts));
            common = common with { Timeout = ReadDuration(timeout.Value, $"'timeout' of step '{common.Id}'") };
        }

        if (f.TryGetValue("retry", out var retry))
        {
            _map.AddNode(common.Location, "retry", Loc(retry.Key));
            common = common with { Retry = ReadRetry(retry.Value, common) };
        }
        if (f.TryGetValue("continueOnError", out var coe))
            common = common with { ContinueOnError = ReadBool(coe.Value, $"'continueOnError' of step '{common.Id}'") ?? false };

        if (typeNode is null)
            return null;
        _map.AddNode(common.Location, "type", Loc(typeNode));
        if (idNode is not null)
            _map.AddNode(common.Location, "id", Loc(idNode));
        _ids.Add((common.Id, common.HasExplicitId, idNode is not null && common.HasExplicitId ? Loc(idNode) : common.Location));
        return structural ? ReadStructural(common, f, map) : ReadActivity(common, f);
    }

    private CommonSettings ReadCommon(YamlMappingNode map, string type, string derivedId, YamlNode? idNode)
    {
        var id = derivedId;
        var explicitId = false;
        if (idNode is not null && ReadString(idNode, $"the id of step '{derivedId}'") is { } written)
        {
            if (Patterns.StepId().IsMatch(written))
            {
                id = written;
                explicitId = true;
            }
            else
            {
                Error(idNode, $"invalid step id '{written}': start with a letter or '_', then letters, digits, '_' or '-'");
            }
        }

        return new CommonSettings(id, explicitId, type, null, null, null, null, false, Loc(map));
    }

    private RetryPolicy? ReadRetry(YamlNode node, CommonSettings common)
    {
        var what = $"'retry' of step '{common.Id}'";
        if (AsMapping(node, what) is not { } map)
            return null;
        var f = Fields(map, what, RetryFields);
        var attempts = 0;
        if (!f.TryGetValue("maxAttempts", out var max))
            Error(map, $"{what} needs 'maxAttempts' (the number of attempts in all, e.g. 3)");
        else
        {
            _map.AddNode(common.Location, "retry/maxAttempts", Loc(max.Value));
            attempts = ReadInt(max.Value, $"'maxAttempts' of {what}") ?? 1;
        }

        var delay = f.TryGetValue("delay", out var d) ? ReadDuration(d.Value, $"'delay' of {what}") ?? "1s" : "1s";
        var backoff = 2.0;
        if (f.TryGetValue("backoff", out var b) && ReadNumber(b.Value, $"'backoff' of {what}") is { } factor)
        {
            if (factor < 1)
                Error(b.Value, $"'backoff' of {what} must be 1 or more (1: the same delay each time)");
            backoff = factor;
        }

        return new RetryPolicy(attempts, delay, backoff);
    }

    private ActivityStep ReadActivity(CommonSettings c, Dictionary<string, Field> f)
    {
        var with = new JsonObject();
        if (f.TryGetValue("with", out var w) && AsMapping(w.Value, $"'with' of step '{c.Id}'") is { } map)
            with = (JsonObject)ToJson(map, c.Location, "with")!;
        return Apply(new ActivityStep { Id = c.Id, Type = c.Type, With = with }, c);
    }

    private static T Apply<T>(T step, CommonSettings c)
        where T : StepDefinition =>
        step with
        {
            HasExplicitId = c.HasExplicitId,
            DisplayName = c.DisplayName,
            If = c.If,
            Timeout = c.Timeout,
            Retry = c.Retry,
            ContinueOnError = c.ContinueOnError,
            Location = c.Location,
        };

    private void CheckDuplicateIds()
    {
        var seen = new Dictionary<string, (bool Explicit, SourceLocation Location)>(StringComparer.Ordinal);
        foreach (var (id, isExplicit, location) in _ids)
        {
            if (!seen.TryGetValue(id, out var first))
            {
                seen[id] = (isExplicit, location);
                continue;
            }

            var message = (first.Explicit, isExplicit) switch
            {
                (true, true) => $"duplicate step id '{id}' (first used at line {first.Location.Line})",
                (true, false) => $"the step at line {first.Location.Line} has the id '{id}', which is also the id derived from the position of this step: give one of them another id",
                _ => $"step id '{id}' is also the id derived from the position of the step at line {first.Location.Line}: choose another id",
            };
            _diagnostics.Add(new Diagnostic(location, message));
        }
    }
}
