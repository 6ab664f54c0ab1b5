using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Tests.Definitions;

public class When_a_workflow_has_mistakes
{
    private static IReadOnlyList<Diagnostic> Check(string yaml) =>
        WorkflowValidator.Validate(WorkflowParser.Parse(yaml, "bad.yaml"), TestCatalog.Instance);

    [Fact]
    public void Ten_mistakes_give_ten_diagnostics_in_file_order()
    {
        var diagnostics = Check("""
            name: bad workflow
            version: two
            inputs:
              vm: strng
            steps:
              - type: log
                with: { mesage: hi }
              - id: copy
                type: vm.mirror
                timeout: 5x
                with: { vm: a, disks: [a], mode: fast }
              - id: copy
                type: lgo
              - type: forEach
                items: ${ [1, 2] }
                maxParallelism: 0
                steps: []
            """);
        Assert.Equal(10, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.True(d.IsError));
        var lines = diagnostics.Select(d => d.Location.Line).ToList();
        Assert.Equal([1, 2, 4, 6, 7, 10, 11, 12, 13, 16], lines);
        Assert.Contains("invalid workflow name 'bad workflow'", diagnostics[0].Message);
        Assert.Contains("'version' must be an integer, not 'two'", diagnostics[1].Message);
        Assert.Contains("unknown type 'strng' for input 'vm'; did you mean 'string'?", diagnostics[2].Message);
        Assert.Contains("needs input 'message'", diagnostics[3].Message);
        Assert.Contains("has no input 'mesage'; did you mean 'message'?", diagnostics[4].Message);
        Assert.Contains("invalid duration '5x'", diagnostics[5].Message);
        Assert.Contains("'fast' is not a valid 'mode' for 'vm.mirror' (one of: full, top, none)", diagnostics[6].Message);
        Assert.Contains("duplicate step id 'copy' (first used at line 8)", diagnostics[7].Message);
        Assert.Contains("unknown activity type 'lgo'; did you mean 'log'?", diagnostics[8].Message);
        Assert.Contains("'maxParallelism' of step 'step-4' must be 1 or more", diagnostics[9].Message);
    }

    [Fact]
    public void A_diagnostic_prints_like_a_compiler_error()
    {
        var d = Check("name: x\nstep: []\n").First(d => d.Message.Contains("unknown field"));
        Assert.Equal("bad.yaml:2:1: error: unknown field 'step' in the workflow; did you mean 'steps'?", d.ToString());
    }

    [Fact]
    public void Unknown_fields_of_steps_are_reported_with_what_the_step_takes()
    {
        var diagnostics = Check("name: x\nsteps:\n  - type: if\n    conditon: true\n  - type: log\n    message: hi\n");
        Assert.Contains(diagnostics, d => d.Message.Contains("unknown field 'conditon' in step 'step-1'; did you mean 'condition'?"));
        Assert.Contains(diagnostics, d => d.Message.Contains("a if step needs 'condition'"));
        Assert.Contains(diagnostics, d => d.Message.Contains("unknown field 'message' in step 'step-2' (an activity step takes: type, id, name, if, timeout, retry, continueOnError, with; activity inputs go under 'with:')"));
    }

    [Fact]
    public void Wrong_types_are_reported()
    {
        var diagnostics = Check("name: x\nsteps:\n  - type: forEach\n    items: ${ [] }\n    maxParallelism: many\n    steps: {}\n  - type: log\n    continueOnError: maybe\n    with: [1]\n");
        Assert.Contains(diagnostics, d => d.Message.Contains("'maxParallelism' of step 'step-1' must be an integer, not 'many'"));
        Assert.Contains(diagnostics, d => d.Message.Contains("'steps' of step 'step-1' must be a list"));
        Assert.Contains(diagnostics, d => d.Message.Contains("'continueOnError' of step 'step-2' must be true or false, not 'maybe'"));
        Assert.Contains(diagnostics, d => d.Message.Contains("'with' of step 'step-2' must be a mapping"));
    }

    [Fact]
    public void Missing_required_fields_are_reported()
    {
        var diagnostics = Check("description: no name\n");
        Assert.Contains(diagnostics, d => d.Message == "the workflow has no 'name'");
        Assert.Contains(diagnostics, d => d.Message.StartsWith("the workflow has no 'steps'", StringComparison.Ordinal));
        var steps = Check("name: x\nsteps:\n  - with: { message: m }\n  - type: forEach\n  - type: message\n");
        Assert.Contains(steps, d => d.Message.StartsWith("step 'step-1' has no 'type'", StringComparison.Ordinal));
        Assert.Contains(steps, d => d.Message.StartsWith("a forEach step needs 'items'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_written_id_that_collides_with_a_derived_one_is_reported()
    {
        var diagnostics = Check("name: x\nsteps:\n  - id: step-2\n    type: log\n    with: { message: a }\n  - type: log\n    with: { message: b }\n");
        var d = Assert.Single(diagnostics);
        Assert.Equal("the step at line 3 has the id 'step-2', which is also the id derived from the position of this step: give one of them another id", d.Message);
        Assert.Equal(6, d.Location.Line);
    }

    [Theory]
    [InlineData("class")]
    [InlineData("inputs")]
    [InlineData("my-disk")]
    public void A_loop_variable_must_be_usable_in_expressions(string name)
    {
        var d = Assert.Single(Check($"name: x\nsteps:\n  - type: forEach\n    items: ${{ [1] }}\n    as: {name}\n    steps: []\n"));
        Assert.Contains($"'as' of step 'step-1' must be a name usable in expressions", d.Message);
        Assert.Equal(5, d.Location.Line);
    }

    [Fact]
    public void Invalid_ids_are_reported()
    {
        var d = Assert.Single(Check("name: x\nsteps:\n  - id: 2fast.step\n    type: log\n    with: { message: a }\n"));
        Assert.Contains("invalid step id '2fast.step'", d.Message);
    }

    [Fact]
    public void Broken_YAML_is_one_error_with_its_position()
    {
        var d = Assert.Single(Check("name: x\nsteps: [\n  - type: log\n"));
        Assert.StartsWith("invalid YAML:", d.Message);
        Assert.Equal("bad.yaml", d.Location.File);
        Assert.True(d.Location.Line >= 2);
    }

    [Fact]
    public void A_duplicate_key_is_reported()
    {
        var d = Assert.Single(Check("name: x\nname: y\nsteps: []\n"));
        Assert.Contains("Duplicate key", d.Message);
        Assert.Equal(2, d.Location.Line);
    }

    [Fact]
    public void An_empty_file_or_a_list_is_not_a_workflow()
    {
        Assert.Equal("the file is empty", Assert.Single(Check("")).Message);
        Assert.Equal("the file is empty", Assert.Single(Check("# only a comment\n")).Message);
        Assert.Contains("must be a mapping", Assert.Single(Check("- a\n- b\n")).Message);
        Assert.Contains("one workflow per file", Check("name: x\nsteps: []\n---\nname: y\n")[0].Message);
    }

    [Fact]
    public void Inputs_and_triggers_are_checked()
    {
        var diagnostics = Check("""
            name: x
            inputs:
              n: { type: integer, default: 1.5 }
              d: { type: duration, default: soon }
              e: { type: string, enum: [a, b], default: c }
              f: { type: number, enum: [1] }
              bad-name: string
              r: { type: string, required: true, default: x }
            triggers:
              - type: schedule
                cron: "* * *"
              - type: message
              - type: webhook
            steps: []
            """);
        Assert.Contains(diagnostics, d => d.Message == "the default of input 'n' is not a integer");
        Assert.Contains(diagnostics, d => d.Message.StartsWith("the default of input 'd' is not a duration", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Message == "the default 'c' of input 'e' is not one of: a, b");
        Assert.Contains(diagnostics, d => d.Message.Contains("'enum' of input 'f' lists text values"));
        Assert.Contains(diagnostics, d => d.Message.Contains("invalid input name 'bad-name'"));
        Assert.Contains(diagnostics, d => d.Message.Contains("input 'r' is required and has a default") && !d.IsError);
        Assert.Contains(diagnostics, d => d.Message.Contains("cron '* * *' has 3 fields"));
        Assert.Contains(diagnostics, d => d.Message.StartsWith("a message trigger needs 'messageType'", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Message.StartsWith("unknown trigger type 'webhook'", StringComparison.Ordinal));
    }
}

public class When_retry_sits_on_a_structural_step
{
    [Fact]
    public void The_check_reports_it_at_the_retry_key_and_the_engine_refuses_the_same_rule()
    {
        const string yaml = "name: r\nsteps:\n  - type: sequence\n    id: group\n    retry: { maxAttempts: 3 }\n    steps:\n      - type: log\n        with: { message: hi }\n";
        var check = WorkflowCheck.Check(yaml, "r.yaml", TestCatalog.Instance);

        var d = Assert.Single(check.Diagnostics);
        Assert.Equal("r.yaml:5:5: error: 'retry' is supported on activity steps only, not on sequence 'group' (put it on the activity steps inside, or wrap them in a try)", d.ToString());
        Assert.Null(check.Definition);
    }
}
