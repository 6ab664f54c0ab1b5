using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

/// <summary>
/// The attacks of issue 12 on the real <c>virtflow</c> executable: each hostile workflow file gets one
/// <c>file:line:col: error:</c> line and exit code 2 from <c>validate</c> and <c>run</c>, quickly, never a crash, a stack
/// trace or a hang; <c>run FILE</c> reads only FILE and what it calls, so bad neighbours do not matter.
/// </summary>
public sealed class HostileFileTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private static Task<(int Code, string Stdout, string Stderr)> Cli(params string[] args) => VirtFlowProcess.RunAsync(Bound, args);

    private static string Write(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string OneLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Unhandled", stderr);
        return lines[0];
    }

    [Fact]
    public async Task An_alias_bomb_is_one_error_line_and_exit_2_from_validate_and_run()
    {
        var bomb = Write(TestDirs.Create("bomb"), "bomb.yaml", HostileWorkflows.AliasBomb());
        Assert.InRange(new FileInfo(bomb).Length, 400, 560);

        var validate = await Cli("validate", bomb);
        var run = await Cli("run", bomb, "--store", "memory:");

        Assert.Equal(2, validate.Code);
        Assert.Equal($"{bomb}:8:10: error: alias '*e' expands the file to more than 100,000 YAML nodes (limit MaxNodes; an alias counts every node it refers to)", OneLine(validate.Stderr));
        Assert.Equal("", validate.Stdout);
        Assert.Equal(2, run.Code);
        Assert.Equal(OneLine(validate.Stderr), OneLine(run.Stderr));
    }

    [Fact]
    public async Task Ten_thousand_levels_of_nesting_are_one_error_line_and_exit_2()
    {
        var deep = Write(TestDirs.Create("deep"), "deep.yaml", HostileWorkflows.NestedFlow(10_000));

        var validate = await Cli("validate", deep);

        Assert.Equal(2, validate.Code);
        Assert.Equal($"{deep}:3:332: error: the YAML nests deeper than 328 levels (the limit that MaxStepDepth 64 and MaxValueDepth 64 allow)", OneLine(validate.Stderr));
    }

    [Fact]
    public async Task Forty_nested_try_steps_validate_and_run()
    {
        var file = Write(TestDirs.Create("try40"), "try40.yaml", HostileWorkflows.NestedTry(40));

        var validate = await Cli("validate", file);
        var run = await Cli("run", file, "--store", "memory:", "--json");

        Assert.True(validate.Code == 0, validate.Stdout + validate.Stderr);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains("\"status\":\"completed\"", run.Stdout.Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Steps_nested_past_the_limit_are_one_error_line_and_exit_2()
    {
        var file = Write(TestDirs.Create("try64"), "try64.yaml", HostileWorkflows.NestedTry(64));

        var run = await Cli("run", file, "--store", "memory:");

        Assert.Equal(2, run.Code);
        Assert.EndsWith("error: steps nest deeper than 64 levels here (limit MaxStepDepth)", OneLine(run.Stderr));
    }

    [Fact]
    public async Task A_fifo_or_dev_zero_named_yaml_is_refused_at_once()
    {
        var dir = TestDirs.Create("special");
        var fifo = Path.Combine(dir, "fifo.yaml");
        await ExternalTool.RunCheckedAsync("mkfifo", [fifo]);
        var zero = Path.Combine(dir, "zero.yaml");
        File.CreateSymbolicLink(zero, "/dev/zero");

        var fifoValidate = await Cli("validate", fifo);
        var zeroValidate = await Cli("validate", zero);
        var fifoRun = await Cli("run", fifo, "--store", "memory:");

        Assert.Equal(2, fifoValidate.Code);
        Assert.Equal($"{fifo}:1:1: error: not a regular file: it is a FIFO (named pipe); a workflow file must be a regular file", OneLine(fifoValidate.Stderr));
        Assert.Equal(2, zeroValidate.Code);
        Assert.Equal($"{zero}:1:1: error: not a regular file: it is a character device; a workflow file must be a regular file", OneLine(zeroValidate.Stderr));
        Assert.Equal(2, fifoRun.Code);
        Assert.Equal(OneLine(fifoValidate.Stderr), OneLine(fifoRun.Stderr));
    }

    [Fact]
    public async Task A_file_over_4_MiB_is_refused()
    {
        var big = Path.Combine(TestDirs.Create("big"), "big.yaml");
        using (var f = File.Create(big))
            f.SetLength(4L * 1024 * 1024 + 1);

        var validate = await Cli("validate", big);

        Assert.Equal(2, validate.Code);
        Assert.Equal($"{big}:1:1: error: the file is 4,194,305 bytes, more than the limit of 4,194,304 (MaxFileBytes)", OneLine(validate.Stderr));
    }

    [Fact]
    public async Task Run_reads_only_its_file_and_the_workflows_it_calls_so_bad_neighbours_do_not_matter()
    {
        var dir = TestDirs.Create("neighbours");
        var main = Write(dir, "main.yaml", """
            name: main
            steps:
              - id: child
                type: call
                with: { workflow: child, inputs: { who: ada } }
            outputs:
              said: ${ steps.child.outputs.said }
            """);
        Write(dir, "child.yaml", """
            name: child
            inputs:
              who: { type: string, required: true }
            steps:
              - type: log
                with: { message: "${ 'hello ' + inputs.who }" }
            outputs:
              said: ${ 'hello ' + inputs.who }
            """);
        Write(dir, "a-bomb.yaml", HostileWorkflows.AliasBomb());
        Write(dir, "b-deep.yaml", HostileWorkflows.NestedFlow(10_000));
        Write(dir, "c-broken.yaml", "name: [unclosed\n");
        await ExternalTool.RunCheckedAsync("mkfifo", [Path.Combine(dir, "d-fifo.yaml")]);
        File.CreateSymbolicLink(Path.Combine(dir, "e-zero.yaml"), "/dev/zero");

        var run = await Cli("run", main, "--store", "memory:", "--json");

        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal("", run.Stderr);
        Assert.Contains("\"said\": \"hello ada\"", run.Stdout);
    }

    [Fact]
    public async Task Run_reports_a_called_workflow_that_is_invalid()
    {
        var dir = TestDirs.Create("badchild");
        var main = Write(dir, "main.yaml", "name: main\nsteps:\n  - type: call\n    with: { workflow: child }\n");
        var child = Write(dir, "child.yaml", HostileWorkflows.AliasBomb());

        var run = await Cli("run", main, "--store", "memory:");

        Assert.Equal(2, run.Code);
        Assert.StartsWith($"{child}:8:10: error: alias '*e' expands", OneLine(run.Stderr));
    }

    [Fact]
    public async Task The_limits_are_set_by_environment_variables()
    {
        var file = Write(TestDirs.Create("envlimits"), "list.yaml", $"name: list\nvariables:\n  x: [{string.Join(", ", Enumerable.Range(0, 150))}]\nsteps: []\n");
        var tight = new Dictionary<string, string> { ["VIRTFLOW_MAX_NODES"] = "100" };

        await using var refused = VirtFlowProcess.Start(tight, "validate", file);
        var refusedCode = await refused.WaitForExitAsync(Bound);
        await using var wrong = VirtFlowProcess.Start(new Dictionary<string, string> { ["VIRTFLOW_MAX_STEP_DEPTH"] = "lots" }, "validate", file);
        var wrongCode = await wrong.WaitForExitAsync(Bound);
        var fine = await Cli("validate", file);

        Assert.Equal(2, refusedCode);
        Assert.Equal($"{file}:3:369: error: the file has more than 100 YAML nodes (limit MaxNodes)", OneLine(refused.Stderr));
        Assert.Equal(2, wrongCode);
        Assert.Equal("virtflow validate: VIRTFLOW_MAX_STEP_DEPTH: 'lots' is not a whole number", OneLine(wrong.Stderr));
        Assert.Equal(0, fine.Code);
    }
}
