using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>The control-flow steps: sequence, parallel, forEach, if, switch, while, try.</summary>
internal sealed partial class WorkflowReader
{
    private static readonly string[] BranchFields = ["steps"];
    private static readonly string[] CaseFields = ["value", "steps"];

    private StepDefinition ReadStructural(CommonSettings c, Dictionary<string, Field> f, YamlMappingNode map)
    {
        YamlNode? Get(string name) => f.TryGetValue(name, out var field) ? field.Value : null;
        List<StepDefinition> List(string name, string slot) => ReadStepList(Get(name), c.Id, slot, $"'{name}' of step '{c.Id}'");

        return c.Type switch
        {
            StepTypes.Sequence => Apply(new SequenceStep { Id = c.Id, Type = c.Type, Steps = List("steps", "steps") }, c),
            StepTypes.Parallel => Apply(new ParallelStep { Id = c.Id, Type = c.Type, Branches = ReadBranches(Get("branches"), c, map) }, c),
            StepTypes.ForEach => Apply(ReadForEach(c, f, map) with { Steps = List("steps", "steps") }, c),
            StepTypes.If => Apply(
                new IfStep
                {
                    Id = c.Id,
                    Type = c.Type,
                    Condition = RequiredTemplate(f, map, "condition", c),
                    Then = List("then", "then"),
                    Else = List("else", "else"),
                },
                c),
            StepTypes.Switch => Apply(
                new SwitchStep
                {
                    Id = c.Id,
                    Type = c.Type,
                    Value = RequiredTemplate(f, map, "value", c),
                    Cases = ReadCases(Get("cases"), c),
                    Default = List("default", "default"),
                },
                c),
            StepTypes.While => Apply(
                new WhileStep
                {
                    Id = c.Id,
                    Type = c.Type,
                    Condition = RequiredTemplate(f, map, "condition", c),
                    MaxIterations = OptionalInt(f, "maxIterations", c) ?? 1000,
                    Steps = List("steps", "steps"),
                },
                c),
            _ => Apply(
                new TryStep
                {
                    Id = c.Id,
                    Type = c.Type,
                    Steps = List("steps", "steps"),
                    Catch = Get("catch") is { } catchNode && !YamlValues.IsNull(catchNode) ? List("catch", "catch") : null,
                    Finally = List("finally", "finally"),
                },
                c),
        };
    }

    private string RequiredTemplate(Dictionary<string, Field> f, YamlMappingNode map, string name, CommonSettings c)
    {
        if (f.TryGetValue(name, out var field))
            return ReadTemplate(field.Value, c.Location, name, $"'{name}' of step '{c.Id}'") ?? "";
        Error(map, $"a {c.Type} step needs '{name}' (step '{c.Id}')");
        return "";
    }

    private int? OptionalInt(Dictionary<string, Field> f, string name, CommonSettings c)
    {
        if (!f.TryGetValue(name, out var field))
            return null;
        _map.AddNode(c.Location, name, Loc(field.Value));
        return ReadInt(field.Value, $"'{name}' of step '{c.Id}'");
    }

    private ForEachStep ReadForEach(CommonSettings c, Dictionary<string, Field> f, YamlMappingNode map)
    {
        var items = "";
        if (!f.TryGetValue("items", out var itemsField))
            Error(map, $"a forEach step needs 'items' (an expression giving a list, e.g. '${{ inputs.disks }}') (step '{c.Id}')");
        else if (itemsField.Value is YamlSequenceNode literal)
        {
            // A literal list is kept as an expression computing it: JSON is valid JavaScript.
            _map.AddNode(c.Location, "items", Loc(literal));
            items = "${ " + ToJson(literal, c.Location, "items")!.ToJsonString() + " }";
        }
        else
            items = ReadTemplate(itemsField.Value, c.Location, "items", $"'items' of step '{c.Id}'") ?? "";

        var name = "item";
        if (f.TryGetValue("as", out var asField) && ReadString(asField.Value, $"'as' of step '{c.Id}'") is { } written)
        {
            if (!Patterns.Identifier().IsMatch(written) || Patterns.ReservedNames.Contains(written))
                Error(asField.Value, $"'as' of step '{c.Id}' must be a name usable in expressions (letters, digits, '_'; not a JavaScript keyword or inputs/vars/steps/instance), not '{written}'");
            name = written;
        }

        return new ForEachStep
        {
            Id = c.Id,
            Type = c.Type,
            Items = items,
            As = name,
            MaxParallelism = OptionalInt(f, "maxParallelism", c) ?? 1,
        };
    }

    /// <summary>Branches are written as a list of step lists, or a list of <c>{ steps: [...] }</c>.</summary>
    private List<IReadOnlyList<StepDefinition>> ReadBranches(YamlNode? node, CommonSettings c, YamlMappingNode map)
    {
        var branches = new List<IReadOnlyList<StepDefinition>>();
        var what = $"'branches' of step '{c.Id}'";
        if (node is null)
        {
            Error(map, $"a parallel step needs 'branches' (a list of step lists) (step '{c.Id}')");
            return branches;
        }

        if (AsSequence(node, what) is not { } seq)
            return branches;
        for (var b = 0; b < seq.Children.Count; b++)
        {
            var slot = $"branches.{b + 1}";
            var branch = seq.Children[b];
            if (branch is YamlMappingNode m)
            {
                var bf = Fields(m, $"branch {b + 1} of step '{c.Id}'", BranchFields);
                branches.Add(ReadStepList(bf.TryGetValue("steps", out var s) ? s.Value : null, c.Id, slot, $"'steps' of branch {b + 1} of step '{c.Id}'"));
                if (!bf.ContainsKey("steps"))
                    Error(m, $"branch {b + 1} of step '{c.Id}' has no 'steps'");
            }
            else if (branch is YamlSequenceNode)
                branches.Add(ReadStepList(branch, c.Id, slot, $"branch {b + 1} of step '{c.Id}'"));
            else
                Error(branch, $"branch {b + 1} of step '{c.Id}' must be a list of steps or a mapping with 'steps'");
        }

        return branches;
    }

    private List<SwitchCase> ReadCases(YamlNode? node, CommonSettings c)
    {
        var cases = new List<SwitchCase>();
        if (node is null || AsSequence(node, $"'cases' of step '{c.Id}'") is not { } seq)
            return cases;
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var what = $"case {i + 1} of step '{c.Id}'";
            if (AsMapping(seq.Children[i], what) is not { } m)
                continue;
            var cf = Fields(m, what, CaseFields);
            JsonNode? match = null;
            if (cf.TryGetValue("value", out var v))
                match = ToJson(v.Value, c.Location, $"cases/{i}/value");
            else
                Error(m, $"{what} has no 'value' to compare with");
            var steps = ReadStepList(cf.TryGetValue("steps", out var s) ? s.Value : null, c.Id, $"cases.{i + 1}", $"'steps' of {what}");
            cases.Add(new SwitchCase(match, steps, Loc(m)));
        }

        return cases;
    }
}
