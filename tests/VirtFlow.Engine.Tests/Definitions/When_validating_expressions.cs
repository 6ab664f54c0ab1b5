using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Tests.Definitions;

public class When_validating_expressions
{
    private static IReadOnlyList<Diagnostic> Check(string yaml) =>
        WorkflowValidator.Validate(WorkflowParser.Parse(yaml, "wf.yaml"), TestCatalog.Instance);

    private static (int Line, int Column) PositionOf(string yaml, int line, char c) =>
        (line, yaml.Split('\n')[line - 1].IndexOf(c) + 1);

    [Fact]
    public void The_complete_sample_is_valid()
    {
        var diagnostics = Check(Samples.AllConstructs);
        Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics));
    }

    [Fact]
    public void A_syntax_error_in_a_plain_scalar_points_at_its_column()
    {
        const string yaml = "name: x\nsteps:\n  - type: log\n    with:\n      message: vm ${ inputs.vm + } end\n";
        var d = Assert.Single(Check(yaml.Replace("inputs.vm", "1", StringComparison.Ordinal)));
        Assert.Contains("syntax error in expression '1 +'", d.Message);
        Assert.Equal(PositionOf(yaml.Replace("inputs.vm", "1", StringComparison.Ordinal), 5, '}'), (d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void A_syntax_error_in_a_quoted_scalar_with_escapes_points_at_its_column()
    {
        const string yaml = "name: x\nsteps:\n  - type: log\n    with:\n      message: \"a\\\"b\\u00e9 ${ 1 + } c\"\n";
        var d = Assert.Single(Check(yaml));
        Assert.Equal(PositionOf(yaml, 5, '}'), (d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void A_syntax_error_in_a_block_script_points_at_its_line_and_column()
    {
        const string yaml = "name: x\nsteps:\n  - type: script\n    with:\n      code: |\n        let a = 1;\n        let b = ;\n        return a;\n";
        var d = Assert.Single(Check(yaml));
        Assert.Contains("syntax error in script", d.Message);
        Assert.Equal((7, 17), (d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void A_syntax_error_in_a_bare_condition_is_found()
    {
        var d = Assert.Single(Check("name: x\nsteps:\n  - type: log\n    if: inputs.a ===\n    with: { message: m }\n"));
        Assert.Contains("syntax error in expression 'inputs.a ==='", d.Message);
        Assert.Equal(4, d.Location.Line);
    }

    [Fact]
    public void An_unterminated_placeholder_is_found()
    {
        var d = Assert.Single(Check("name: x\nsteps:\n  - type: log\n    with: { message: 'a ${ b' }\n"));
        Assert.Contains("unterminated '${'", d.Message);
        Assert.Equal((4, 25), (d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void A_reference_to_a_missing_step_is_an_error_with_a_suggestion()
    {
        const string yaml = "name: x\nsteps:\n  - id: copy\n    type: log\n    with: { message: a }\n  - type: log\n    with: { message: \"${ steps.cpy.outputs.message }\" }\n";
        var d = Assert.Single(Check(yaml));
        Assert.Equal("step 'step-2': 'steps.cpy' refers to no step; did you mean 'copy'?", d.Message);
        Assert.Equal(PositionOf(yaml, 7, 'c') with { Column = yaml.Split('\n')[6].IndexOf("cpy", StringComparison.Ordinal) + 1 }, (d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void A_reference_to_a_later_step_is_an_error()
    {
        var d = Assert.Single(Check("name: x\nsteps:\n  - type: log\n    with: { message: \"${ steps.late.status }\" }\n  - id: late\n    type: log\n    with: { message: a }\n"));
        Assert.Contains("'steps.late' runs after step 'step-1'", d.Message);
    }

    [Fact]
    public void A_reference_to_a_step_without_its_own_id_is_an_error()
    {
        var d = Assert.Single(Check("name: x\nsteps:\n  - type: log\n    with: { message: a }\n  - type: log\n    with: { message: \"${ steps['step-1'].status }\" }\n"));
        Assert.Contains("step 'step-1' has no id of its own", d.Message);
    }

    [Fact]
    public void A_reference_across_parallel_branches_is_an_error()
    {
        var d = Assert.Single(Check("name: x\nsteps:\n  - type: parallel\n    branches:\n      - - id: a\n          type: log\n          with: { message: a }\n      - - type: log\n          with: { message: \"${ steps.a.status }\" }\n"));
        Assert.Contains("runs in another branch of parallel step 'step-1'", d.Message);
    }

    [Fact]
    public void A_step_cannot_use_itself_or_a_step_containing_it()
    {
        var diagnostics = Check("name: x\nsteps:\n  - id: outer\n    type: sequence\n    steps:\n      - id: me\n        type: log\n        with: { message: \"${ steps.me.status } ${ steps.outer.status }\" }\n");
        Assert.Contains(diagnostics, d => d.Message.Contains("'steps.me' is this step itself"));
        Assert.Contains(diagnostics, d => d.Message.Contains("'steps.outer' contains step 'me'"));
    }

    [Fact]
    public void Loops_may_look_at_their_own_body_and_earlier_iterations()
    {
        var diagnostics = Check("""
            name: x
            steps:
              - id: poll
                type: while
                condition: ${ !steps.probe || steps.probe.outputs.message !== 'done' }
                steps:
                  - type: log
                    if: ${ steps.probe !== undefined }
                    with: { message: again }
                  - id: probe
                    type: log
                    with: { message: "${ iteration }" }
            outputs:
              last: ${ steps.probe.outputs.message }
            """);
        Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics));
    }

    [Fact]
    public void Unknown_members_and_outputs_of_a_step_are_warnings()
    {
        var diagnostics = Check("name: x\nsteps:\n  - id: a\n    type: log\n    with: { message: a }\n  - type: log\n    with: { message: \"${ steps.a.output.x } ${ steps.a.outputs.mesage }\" }\n");
        Assert.All(diagnostics, d => Assert.False(d.IsError));
        Assert.Contains(diagnostics, d => d.Message.Contains("'steps.a.output' is not a member of a step's result; did you mean 'outputs'?"));
        Assert.Contains(diagnostics, d => d.Message.Contains("activity 'log' has no output 'mesage'; did you mean 'message'?"));
    }

    [Fact]
    public void An_undeclared_input_is_an_error()
    {
        var d = Assert.Single(Check("name: x\ninputs:\n  vm: string\nsteps:\n  - type: log\n    with: { message: \"${ inputs['mv'] }\" }\n"));
        Assert.Equal("step 'step-1': 'inputs.mv' is not a declared input; did you mean 'vm'? (declared: vm)", d.Message);
    }

    [Fact]
    public void Unknown_names_are_warnings_and_loop_variables_are_known_inside_their_loop()
    {
        var diagnostics = Check("""
            name: x
            steps:
              - type: forEach
                items: ${ [1, 2] }
                as: disk
                steps:
                  - type: log
                    with: { message: "${ disk } ${ diskIndex } ${ index } ${ [1].map(x => x + disk) }" }
              - type: log
                with: { message: "${ disk } ${ Math.max(1, 2) } ${ JSON.stringify(vars) } ${ duration('1s') }" }
              - type: try
                steps: []
                catch:
                  - type: log
                    with: { message: "${ error.message }" }
            """);
        var d = Assert.Single(diagnostics);
        Assert.False(d.IsError);
        Assert.StartsWith("step 'step-2': unknown name 'disk'", d.Message);
    }

    [Fact]
    public void Literal_inputs_must_fit_their_type()
    {
        var diagnostics = Check("name: x\nsteps:\n  - type: vm.mirror\n    with: { vm: a, disks: vda, speed: fast, timeout: later }\n");
        Assert.Contains(diagnostics, d => d.Message.Contains("input 'disks' of 'vm.mirror' must be an array, not the text 'vda'"));
        Assert.Contains(diagnostics, d => d.Message.Contains("input 'speed' of 'vm.mirror' must be an integer, not the text 'fast'"));
        Assert.Contains(diagnostics, d => d.Message.Contains("input 'timeout' of 'vm.mirror' must be a duration"));
    }

    [Fact]
    public void Extra_inputs_are_allowed_where_the_activity_says_so()
    {
        Assert.Empty(Check("name: x\nsteps:\n  - type: qmp.execute\n    with: { command: query-jobs, anything: 1 }\n"));
    }

    [Fact]
    public void Items_must_be_an_expression_and_while_needs_iterations()
    {
        var diagnostics = Check("name: x\nsteps:\n  - type: forEach\n    items: inputs.disks\n    steps: []\n  - type: while\n    condition: 'true'\n    maxIterations: 0\n");
        Assert.Contains(diagnostics, d => d.Message.StartsWith("'items' of step 'step-1' must be an expression giving a list", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Message == "'maxIterations' of step 'step-2' must be 1 or more");
    }

    [Fact]
    public void A_definition_without_a_source_map_is_validated_with_step_locations()
    {
        var definition = WorkflowParser.Parse("name: x\nsteps:\n  - type: lgo\n", "wf.yaml");
        var d = Assert.Single(WorkflowValidator.Validate(definition.Definition!, TestCatalog.Instance));
        Assert.Equal(new SourceLocation("wf.yaml", 3, 5), d.Location);
    }
}
