using VirtFlow.Cli.Commands;
using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

/// <summary>
/// One way to load a workflow (issue 17.3): every workflow <c>virtflow run</c> refuses, <c>virtflow validate</c> reports, with
/// the same diagnostic at the same file:line:col (both load through <c>WorkflowCheck</c>).
/// </summary>
public sealed class When_run_refuses_a_workflow
{
    public static TheoryData<string, string> Refused => new()
    {
        { "retry-on-sequence", "name: r\nsteps:\n  - type: sequence\n    retry: { maxAttempts: 3 }\n    steps:\n      - type: log\n        with: { message: hi }\n" },
        { "retry-on-parallel", "name: r\nsteps:\n  - type: parallel\n    id: both\n    retry: { maxAttempts: 2 }\n    branches:\n      - - type: log\n          with: { message: a }\n" },
        { "retry-on-foreach", "name: r\nsteps:\n  - type: forEach\n    items: [1, 2]\n    retry: { maxAttempts: 2 }\n    steps:\n      - type: log\n        with: { message: a }\n" },
        { "unknown-activity", "name: r\nsteps:\n  - type: lgo\n" },
        { "missing-input", "name: r\nsteps:\n  - type: log\n" },
        { "unknown-input", "name: r\nsteps:\n  - type: log\n    with: { message: hi, mesage: x }\n" },
        { "bad-expression", "name: r\nsteps:\n  - type: log\n    with: { message: \"${ 1 + }\" }\n" },
        { "undeclared-input", "name: r\nsteps:\n  - type: log\n    with: { message: \"${ inputs.nope }\" }\n" },
        { "later-step", "name: r\nsteps:\n  - type: log\n    with: { message: \"${ steps.b.output }\" }\n  - type: log\n    id: b\n    with: { message: hi }\n" },
        { "duplicate-id", "name: r\nsteps:\n  - type: log\n    id: a\n    with: { message: hi }\n  - type: log\n    id: a\n    with: { message: hi }\n" },
        { "bad-id", "name: r\nsteps:\n  - type: log\n    id: a/b\n    with: { message: hi }\n" },
        { "unknown-field", "name: r\nstepz: []\n" },
        { "zero-parallelism", "name: r\nsteps:\n  - type: forEach\n    items: [1]\n    maxParallelism: 0\n    steps:\n      - type: log\n        with: { message: a }\n" },
        { "zero-attempts", "name: r\nsteps:\n  - type: log\n    retry: { maxAttempts: 0 }\n    with: { message: a }\n" },
        { "bad-yaml", "name: r\nsteps: [\n" },
        { "too-deep", "name: r\nsteps:\n" + Nested(70) },
    };

    /// <summary>Sequences nested <paramref name="depth"/> deep: past the step depth limit (64), refused as a whole.</summary>
    private static string Nested(int depth)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < depth; i++)
            text.Append(new string(' ', 2 + (4 * i))).Append("- type: sequence\n").Append(new string(' ', 4 + (4 * i))).Append("steps:\n");
        return text.Append(new string(' ', 2 + (4 * depth))).Append("- type: log\n").ToString();
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Validate_reports_the_same_error_at_the_same_place(string name, string yaml)
    {
        var file = Path.Combine(TestDirs.Create("refusals"), name + ".yaml");
        await File.WriteAllTextAsync(file, yaml);

        var (runCode, _, runErr) = await Cli((o, e) => RunCommand.RunAsync([file, "--store", "memory:"], o, e, CancellationToken.None));
        var (validateCode, validateOut, validateErr) = await Cli((o, e) => ValidateCommand.RunAsync([file], o, e, CancellationToken.None));

        Assert.Equal(2, runCode);
        var refusals = Errors(runErr, file);
        Assert.True(refusals.Count > 0, $"run refused {name} without a file:line:col error:\n{runErr}");
        Assert.NotEqual(0, validateCode);
        var reported = Errors(validateOut + validateErr, file);
        foreach (var refusal in refusals)
            Assert.True(reported.Contains(refusal), $"run refused with\n  {refusal}\nbut validate said\n{validateOut}{validateErr}");
    }

    private static List<string> Errors(string output, string file) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith(file + ":", StringComparison.Ordinal) && l.Contains(": error: ", StringComparison.Ordinal))];

    private static async Task<(int Code, string Out, string Err)> Cli(Func<TextWriter, TextWriter, Task<int>> command)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await command(stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
