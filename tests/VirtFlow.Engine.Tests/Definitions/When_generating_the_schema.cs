using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Tests.Definitions;

public class When_generating_the_schema
{
    private static readonly JsonObject Schema = WorkflowSchemaGenerator.Generate(TestCatalog.Instance);

    [Fact]
    public void It_is_a_draft_2020_12_schema_of_the_top_level()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema["$schema"]!.GetValue<string>());
        Assert.Equal(["name", "steps"], Schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(
            ["$schema", "name", "version", "description", "lock", "inputs", "outputs", "triggers", "variables", "steps"],
            Schema["properties"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Every_activity_and_structural_type_has_a_branch()
    {
        var step = Schema["$defs"]!["step"]!;
        var types = step["properties"]!["type"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var expected = StepTypes.All.Concat(TestCatalog.Instance.All.Select(a => a.Type)).ToList();
        Assert.Equal(expected.Order(), types.Order());
        var branches = step["allOf"]!.AsArray();
        Assert.Equal(expected.Count, branches.Count);
        foreach (var type in expected)
        {
            var branch = branches.Single(b => b!["if"]!["properties"]!["type"]!["const"]!.GetValue<string>() == type)!;
            var target = branch["then"]!["$ref"]!.GetValue<string>()["#/$defs/".Length..];
            Assert.NotNull(Schema["$defs"]![target]);
        }
    }

    [Fact]
    public void An_activity_constrains_its_with_from_its_descriptor()
    {
        var mirror = Schema["$defs"]!["activity:vm.mirror"]!;
        var with = mirror["properties"]!["with"]!;
        Assert.Equal(["vm", "disks"], with["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(with["additionalProperties"]!.GetValue<bool>());
        Assert.Equal(["vm", "disks", "mode", "speed", "timeout"], with["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["full", "top", "none"], with["properties"]!["mode"]!["anyOf"]![0]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("#/$defs/duration", with["properties"]!["timeout"]!["$ref"]!.GetValue<string>());
        Assert.Equal("string", with["properties"]!["disks"]!["anyOf"]![0]!["items"]!["type"]!.GetValue<string>());
        Assert.True(Schema["$defs"]!["activity:qmp.execute"]!["properties"]!["with"]!["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public void The_text_form_is_stable_and_parses()
    {
        var a = WorkflowSchemaGenerator.GenerateText(TestCatalog.Instance);
        var b = WorkflowSchemaGenerator.GenerateText(TestCatalog.Instance);
        Assert.Equal(a, b);
        Assert.EndsWith("}\n", a);
        Assert.NotNull(JsonNode.Parse(a));
    }

    [Fact]
    public void The_file_is_written_where_asked()
    {
        var path = Path.Combine(VirtFlow.Testing.TestDirs.Create("schema"), "sub", "workflow.schema.json");
        WorkflowSchemaGenerator.WriteFile(TestCatalog.Instance, path);
        Assert.Equal(WorkflowSchemaGenerator.GenerateText(TestCatalog.Instance), File.ReadAllText(path));
    }
}
