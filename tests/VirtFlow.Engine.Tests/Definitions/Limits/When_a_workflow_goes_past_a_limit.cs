using System.Diagnostics;
using VirtFlow.Engine.Definitions;
using VirtFlow.Testing;

namespace VirtFlow.Engine.Tests.Definitions.Limits;

/// <summary>
/// Each hostile file of issue 12 gets one diagnostic naming its limit, quickly and in little memory: no "Out of memory",
/// no stack overflow, no unhandled exception from the JSON writer.
/// </summary>
public sealed class When_a_workflow_goes_past_a_limit
{
    private static Diagnostic OneLimit(string text, WorkflowLimits? limits = null)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var result = WorkflowParser.Parse(text, "attack.yaml", limits);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 256L * 1024 * 1024, "allocated more than 256 MB");
        var d = Assert.Single(result.Diagnostics);
        Assert.True(d.IsLimit && d.IsError, d.ToString());
        Assert.Null(result.Definition);
        Assert.Equal([d], WorkflowValidator.Validate(result, TestCatalog.Instance));
        return d;
    }

    [Fact]
    public void An_alias_bomb_is_refused_at_the_alias_that_crosses_the_node_limit()
    {
        var d = OneLimit(HostileWorkflows.AliasBomb());

        Assert.Equal("attack.yaml:8:10: error: alias '*e' expands the file to more than 100,000 YAML nodes (limit MaxNodes; an alias counts every node it refers to)", d.ToString());
    }

    [Fact]
    public void A_mapping_alias_bomb_is_refused_too()
    {
        var d = OneLimit(HostileWorkflows.MappingAliasBomb());

        Assert.Contains("expands the file to more than 100,000 YAML nodes (limit MaxNodes", d.Message);
    }

    [Fact]
    public void An_alias_inside_the_node_it_refers_to_is_refused()
    {
        var d = OneLimit("name: x\nvariables:\n  a: &a [1, *a]\nsteps: []\n");

        Assert.Equal("attack.yaml:3:13: error: alias '*a' is inside the node it refers to: it would repeat without end", d.ToString());
    }

    [Fact]
    public void A_huge_scalar_repeated_by_aliases_is_refused_by_its_characters()
    {
        var text = $"name: x\nvariables:\n  a: &a \"{new string('x', 1024 * 1024)}\"\n  b: [*a, *a, *a, *a]\nsteps: []\n";

        var d = OneLimit(text);

        Assert.Equal("attack.yaml:4:15: error: alias '*a' expands the file's values to more than 4,194,304 characters (limit MaxFileBytes)", d.ToString());
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(200_000)]
    public void Ten_thousand_levels_of_nesting_are_refused_before_anything_recurses(int depth)
    {
        var d = OneLimit(HostileWorkflows.NestedFlow(depth));

        Assert.Equal("attack.yaml:3:332: error: the YAML nests deeper than 328 levels (the limit that MaxStepDepth 64 and MaxValueDepth 64 allow)", d.ToString());
    }

    [Fact]
    public void Ten_thousand_nested_sequences_of_steps_are_refused()
    {
        var d = OneLimit(HostileWorkflows.NestedSequences(10_000));

        Assert.Contains("error: the YAML nests deeper than 328 levels", d.ToString());
    }

    [Fact]
    public void Forty_nested_try_steps_parse_and_hash()
    {
        var result = WorkflowParser.Parse(HostileWorkflows.NestedTry(40), "deep.yaml");

        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Definition);
        Assert.Matches("^[0-9a-f]{64}$", result.Definition!.Hash);
        var again = WorkflowParser.Parse(result.Definition.CanonicalJson, "deep.json");
        Assert.Equal(result.Definition.Hash, again.Definition!.Hash);
    }

    [Fact]
    public void Steps_past_the_step_depth_are_refused_at_the_first_step_too_deep()
    {
        Assert.Empty(WorkflowParser.Parse(HostileWorkflows.NestedTry(63), "ok.yaml").Diagnostics);

        var d = OneLimit(HostileWorkflows.NestedTry(64));

        Assert.Equal(131, d.Location.Line);
        Assert.EndsWith("error: steps nest deeper than 64 levels here (limit MaxStepDepth)", d.ToString());
    }

    [Fact]
    public void Values_past_the_value_depth_are_refused_where_they_go_too_deep()
    {
        Assert.Empty(WorkflowParser.Parse(HostileWorkflows.NestedFlow(64), "ok.yaml").Diagnostics);

        var d = OneLimit(HostileWorkflows.NestedFlow(65));

        Assert.Equal("attack.yaml:3:70: error: a value nests deeper than 64 levels here (limit MaxValueDepth)", d.ToString());
    }

    [Fact]
    public void A_text_larger_than_the_file_limit_is_refused_before_it_is_parsed()
    {
        var d = OneLimit("name: x\nsteps: []\n# " + new string('x', 5000), new WorkflowLimits { MaxFileBytes = 4096 });

        Assert.Equal("attack.yaml:1:1: error: the workflow holds more than 4,096 bytes (limit MaxFileBytes)", d.ToString());
    }

    [Fact]
    public void Limits_are_settable()
    {
        var limits = new WorkflowLimits { MaxNodes = 100, MaxStepDepth = 2, MaxValueDepth = 3 };

        Assert.Contains("more than 100 YAML nodes", OneLimit($"name: x\nvariables:\n  a: [{string.Join(",", Enumerable.Range(0, 120))}]\nsteps: []\n", limits).Message);
        Assert.Contains("deeper than 2 levels here (limit MaxStepDepth)", OneLimit(HostileWorkflows.NestedTry(2), limits).Message);
        Assert.Contains("deeper than 3 levels here (limit MaxValueDepth)", OneLimit(HostileWorkflows.NestedFlow(4), limits).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkflowParser.Parse("name: x\nsteps: []\n", "x.yaml", new WorkflowLimits { MaxStepDepth = 0 }));
    }
}
