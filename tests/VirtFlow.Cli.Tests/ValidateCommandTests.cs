using System.Runtime.CompilerServices;
using VirtFlow.Cli;
using VirtFlow.Cli.Commands;
using VirtFlow.Engine.Definitions;
using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

public class ValidateCommandTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await ValidateCommand.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The repository root, found from this source file (works with any --artifacts-path).</summary>
    private static string RepoRoot([CallerFilePath] string source = "")
    {
        for (var dir = Path.GetDirectoryName(source); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "VirtFlow.sln")))
                return dir;
        }

        return TestDirs.RepoRoot;
    }

    private static string Write(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_valid_file_prints_ok_and_exits_0()
    {
        var dir = TestDirs.Create("validate");
        var file = Write(dir, "hello.yaml", "name: hello\nversion: 3\nsteps:\n  - type: log\n    with: { message: hi }\n  - type: sequence\n    steps:\n      - type: log\n        with: { message: inner }\n");
        var (code, output, error) = await Run(file);
        Assert.Equal(0, code);
        Assert.Equal($"ok: {file} (hello v3, 3 steps)\n", output);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Errors_print_one_per_line_with_positions_and_exit_1()
    {
        var dir = TestDirs.Create("validate");
        var file = Write(dir, "bad.yaml", "name: bad\nsteps:\n  - type: lgo\n  - type: log\n    with: { mesage: hi }\n");
        var (code, output, _) = await Run(file);
        Assert.Equal(1, code);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal($"{file}:3:11: error: step 'step-1': unknown activity type 'lgo'; did you mean 'log'?", lines[0]);
        Assert.StartsWith($"{file}:4:11: error: step 'step-2': activity 'log' needs input 'message'", lines[1]);
        Assert.StartsWith($"{file}:5:13: error: step 'step-2': activity 'log' has no input 'mesage'", lines[2]);
        Assert.DoesNotContain("ok:", output);
    }

    [Fact]
    public async Task Warnings_are_printed_but_do_not_fail()
    {
        var dir = TestDirs.Create("validate");
        var file = Write(dir, "warn.yaml", "name: warn\nsteps:\n  - type: log\n    with: { message: \"${ itme }\" }\n");
        var (code, output, _) = await Run(file);
        Assert.Equal(0, code);
        Assert.Contains(": warning: step 'step-1': unknown name 'itme'", output);
        Assert.Contains("ok: ", output);
    }

    [Fact]
    public async Task A_folder_is_checked_except_its_schema_folder()
    {
        var dir = TestDirs.Create("validate");
        Write(dir, "a.yaml", "name: a\nsteps: []\n");
        Write(dir, "sub/b.json", """{ "name": "b", "steps": [] }""");
        Write(dir, "schema/workflow.schema.json", """{ "type": "object" }""");
        Write(dir, "readme.md", "# not a workflow");
        var (code, output, _) = await Run(dir);
        Assert.Equal(0, code);
        Assert.Equal(2, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("(a v1, 0 steps)", output);
        Assert.Contains("(b v1, 0 steps)", output);
    }

    [Fact]
    public async Task The_same_name_and_version_twice_is_an_error()
    {
        var dir = TestDirs.Create("validate");
        Write(dir, "one.yaml", "name: same\nsteps: []\n");
        Write(dir, "two.yaml", "name: same\nsteps: []\n");
        var (code, output, _) = await Run(dir);
        Assert.Equal(1, code);
        Assert.Contains("error: workflow 'same' version 1 is also defined in", output);
    }

    [Fact]
    public async Task No_files_is_exit_2_with_one_line()
    {
        var (code, output, error) = await Run();
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal("virtflow validate: no files given (usage: virtflow validate FILE|DIR...)\n", error);
    }

    [Fact]
    public async Task An_unreadable_file_is_exit_2_with_one_line()
    {
        var (code, _, error) = await Run("/nonexistent/flow.yaml");
        Assert.Equal(2, code);
        Assert.Equal("virtflow validate: cannot read '/nonexistent/flow.yaml': no such file\n", error);
    }

    [Fact]
    public async Task An_empty_folder_is_exit_2()
    {
        var (code, _, error) = await Run(TestDirs.Create("validate-empty"));
        Assert.Equal(2, code);
        Assert.StartsWith("virtflow validate: no workflow files", error);
    }

    [Fact]
    public async Task An_unknown_option_is_exit_2()
    {
        var (code, _, error) = await Run("--strict", "x.yaml");
        Assert.Equal(2, code);
        Assert.Contains("unknown option '--strict'", error);
    }

    [Fact]
    public async Task Quiet_prints_only_problems()
    {
        var dir = TestDirs.Create("validate");
        var file = Write(dir, "a.yaml", "name: a\nsteps: []\n");
        var (code, output, _) = await Run("--quiet", file);
        Assert.Equal(0, code);
        Assert.Empty(output);
    }

    [Fact]
    public async Task Write_schema_writes_the_generated_schema()
    {
        var path = Path.Combine(TestDirs.Create("validate"), "workflow.schema.json");
        var (code, output, _) = await Run("--write-schema", path);
        Assert.Equal(0, code);
        Assert.Equal($"wrote {path}\n", output);
        Assert.Equal(WorkflowSchemaGenerator.GenerateText(CliCatalog.Default), File.ReadAllText(path));
    }

    [Fact]
    public async Task The_example_workflows_are_valid_without_warnings()
    {
        var examples = Path.Combine(RepoRoot(), "workflows", "examples");
        var (code, output, error) = await Run(examples);
        Assert.True(code == 0, output + error);
        Assert.DoesNotContain("warning", output);
        Assert.True(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 4, output);
    }

    [Fact]
    public void The_checked_in_schema_is_up_to_date()
    {
        var path = Path.Combine(RepoRoot(), "workflows", "schema", "workflow.schema.json");
        Assert.True(
            File.Exists(path) && File.ReadAllText(path) == WorkflowSchemaGenerator.GenerateText(CliCatalog.Default),
            "workflows/schema/workflow.schema.json is stale: run `dotnet run --project src/VirtFlow.Cli -- validate --write-schema workflows/schema/workflow.schema.json`");
    }
}
