using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Tests.Definitions;

public class When_parsing_a_workflow
{
    private static WorkflowDefinition Parse(string yaml, string file = "wf.yaml")
    {
        var result = WorkflowParser.Parse(yaml, file);
        Assert.True(result.Definition is not null, string.Join("\n", result.Diagnostics));
        return result.Definition!;
    }

    [Fact]
    public void Every_construct_is_read()
    {
        var d = Parse(Samples.AllConstructs);
        Assert.Equal("migrate-disks", d.Name);
        Assert.Equal(2, d.Version);
        Assert.Equal(["vm", "disks", "mode", "settle"], d.Inputs.Select(i => i.Name));
        Assert.Equal(InputType.String, d.Inputs[0].Type);
        Assert.True(d.Inputs[1].Required);
        Assert.Equal("string", d.Inputs[1].Items!["type"]!.GetValue<string>());
        Assert.Equal(["full", "top"], d.Inputs[2].Enum!);
        Assert.Equal("full", d.Inputs[2].Default!.GetValue<string>());
        Assert.Equal(InputType.Duration, d.Inputs[3].Type);
        Assert.Equal(["jobs", "summary"], d.Outputs.Keys.Order());
        Assert.Equal(["message", "schedule", "manual"], d.Triggers.Select(t => t.Type));
        Assert.Equal("StartMigration", d.Triggers[0].Settings["messageType"]!.GetValue<string>());
        Assert.Equal("0 0 3 * * ?", d.Triggers[1].Settings["cron"]!.GetValue<string>());
        Assert.Equal(0, d.Variables["attempts"]!.GetValue<long>());
        Assert.Equal(9, d.Steps.Count);

        var mirror = Assert.IsType<ActivityStep>(d.Steps[1]);
        Assert.Equal(("mirror", true, "vm.mirror", "Mirror all disks"), (mirror.Id, mirror.HasExplicitId, mirror.Type, mirror.DisplayName));
        Assert.Equal("${ inputs.disks.length > 0 }", mirror.If);
        Assert.Equal("1h30m", mirror.Timeout);
        Assert.Equal(new RetryPolicy(3, "10s", 1.5), mirror.Retry);
        Assert.Equal("top", mirror.With["mode"]!.GetValue<string>());

        Assert.Single(Assert.IsType<SequenceStep>(d.Steps[2]).Steps);
        var parallel = Assert.IsType<ParallelStep>(d.Steps[3]);
        Assert.Equal(2, parallel.Branches.Count);
        Assert.Equal("step-4.branches.2.1", parallel.Branches[1][0].Id);
        var each = Assert.IsType<ForEachStep>(d.Steps[4]);
        Assert.Equal(("${ inputs.disks }", "disk", 4), (each.Items, each.As, each.MaxParallelism));
        Assert.Equal("each.steps.1", each.Steps[0].Id);
        var branch = Assert.IsType<IfStep>(d.Steps[5]);
        Assert.Equal(("step-6.then.1", "step-6.else.1"), (branch.Then[0].Id, branch.Else[0].Id));
        var sw = Assert.IsType<SwitchStep>(d.Steps[6]);
        Assert.Equal("full", sw.Cases[0].Match!.GetValue<string>());
        Assert.Empty(sw.Cases[1].Steps);
        Assert.Equal("step-7.default.1", sw.Default[0].Id);
        Assert.Equal("step-7.cases.1.1", sw.Cases[0].Steps[0].Id);
        var loop = Assert.IsType<WhileStep>(d.Steps[7]);
        Assert.Equal(10, loop.MaxIterations);
        Assert.StartsWith("vars.attempts = vars.attempts + 1;\nreturn iteration;", ((ActivityStep)loop.Steps[0]).With["code"]!.GetValue<string>());
        var guarded = Assert.IsType<TryStep>(d.Steps[8]);
        Assert.Equal(("step-9.steps.1", "step-9.catch.1", "step-9.finally.1"), (guarded.Steps[0].Id, guarded.Catch![0].Id, guarded.Finally[0].Id));
    }

    [Fact]
    public void Defaults_apply_when_settings_are_left_out()
    {
        var d = Parse("name: x\nsteps:\n  - type: forEach\n    items: ${ [1] }\n    steps: []\n  - type: while\n    condition: 'false'\n  - type: try\n    steps: []\n");
        Assert.Equal(1, d.Version);
        var each = (ForEachStep)d.Steps[0];
        Assert.Equal(("item", 1), (each.As, each.MaxParallelism));
        Assert.Equal(1000, ((WhileStep)d.Steps[1]).MaxIterations);
        Assert.Null(((TryStep)d.Steps[2]).Catch);
        Assert.False(d.Steps[0].HasExplicitId);
    }

    [Fact]
    public void The_same_workflow_in_JSON_gives_the_same_definition()
    {
        var yaml = Parse(Samples.AllConstructs);
        var json = Parse(yaml.CanonicalJson, "wf.json");
        Assert.Equal(yaml.CanonicalJson, json.CanonicalJson);
        Assert.Equal(yaml.Hash, json.Hash);
    }

    [Fact]
    public void A_handwritten_JSON_file_with_tabs_is_read()
    {
        var text = "{\n\t\"name\": \"hello\",\n\t\"steps\": [\n\t\t{ \"type\": \"log\", \"with\": { \"message\": \"hi\", \"n\": 3, \"ok\": true, \"none\": null } }\n\t]\n}\n";
        var d = Parse(text, "hello.json");
        var log = (ActivityStep)d.Steps[0];
        Assert.Equal("""{"message":"hi","n":3,"ok":true,"none":null}""", log.With.ToJsonString());
        Assert.Equal(new SourceLocation("hello.json", 4, 3), log.Location);
    }

    [Fact]
    public void Scalars_become_JSON_types_by_the_YAML_core_schema()
    {
        var d = Parse("""
            name: x
            steps:
              - type: log
                with:
                  t: true
                  n: 3
                  f: 1.5
                  e: 1e3
                  h: 0x1F
                  q: '3'
                  dq: "true"
                  nul: null
                  tilde: ~
                  empty:
                  yes: yes
                  s: !!str 42
                  block: |
                    a
            """);
        var with = ((ActivityStep)d.Steps[0]).With;
        Assert.Equal("""{"t":true,"n":3,"f":1.5,"e":1000,"h":31,"q":"3","dq":"true","nul":null,"tilde":null,"empty":null,"yes":"yes","s":"42","block":"a"}""", with.ToJsonString());
    }

    [Fact]
    public void The_hash_ignores_layout_comments_and_key_order_of_inputs()
    {
        var a = Parse("name: x\nsteps:\n  - type: log\n    with: { message: hi, level: debug }\n");
        var b = Parse("# comment\nname: x\n\nsteps:\n- with:\n    level: debug\n    message: hi\n  type: log\n");
        Assert.Equal(a.Hash, b.Hash);
        Assert.Matches("^[0-9a-f]{64}$", a.Hash);
        var c = Parse("name: x\nsteps:\n  - type: log\n    with: { message: hello, level: debug }\n");
        Assert.NotEqual(a.Hash, c.Hash);
    }

    [Fact]
    public void The_canonical_form_reads_back_to_the_same_definition()
    {
        var d = Parse(Samples.AllConstructs);
        var again = Parse(d.CanonicalJson, "stored.json");
        Assert.Equal(d.Hash, again.Hash);
        Assert.Equal(d.Steps.Select(s => s.Id), again.Steps.Select(s => s.Id));
        Assert.False(again.Steps[0].HasExplicitId);
        Assert.True(again.Steps[1].HasExplicitId);
        Assert.DoesNotContain("step-1", d.CanonicalJson);
    }

    [Fact]
    public void A_literal_items_list_becomes_an_expression()
    {
        var d = Parse("name: x\nsteps:\n  - type: forEach\n    items: [vda, 2]\n    steps: []\n");
        Assert.Equal("${ [\"vda\",2] }", ((ForEachStep)d.Steps[0]).Items);
    }

    [Fact]
    public void Conditions_written_as_booleans_are_kept_as_text()
    {
        var d = Parse("name: x\nsteps:\n  - type: log\n    if: false\n    with: { message: m }\n");
        Assert.Equal("false", d.Steps[0].If);
    }

    [Fact]
    public void Steps_know_where_they_were_written()
    {
        var d = Parse("name: x\nsteps:\n  - type: log\n    with: { message: m }\n  -   id: second\n      type: log\n      with: { message: m }\n");
        Assert.Equal(new SourceLocation("wf.yaml", 3, 5), d.Steps[0].Location);
        Assert.Equal(new SourceLocation("wf.yaml", 5, 7), d.Steps[1].Location);
        Assert.Equal(new SourceLocation("wf.yaml", 1, 1), d.Location);
    }
}
