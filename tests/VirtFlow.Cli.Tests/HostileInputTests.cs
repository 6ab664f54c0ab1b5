using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

/// <summary>
/// Inputs of issue 12 on the real <c>virtflow run</c>: an item property the workflow does not declare (<c>reuse</c> above all)
/// and inputs past the size limit are refused with one line and exit code 2, before anything runs.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private static string Pivot => Path.Combine(TestDirs.RepoRoot, "workflows", "copy-disks-pivot.yaml");

    private static string OneLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, stderr);
        Assert.DoesNotContain("   at ", stderr);
        return lines[0];
    }

    /// <summary>A workflow with two string inputs a and b, and a text file of <paramref name="length"/> characters beside it.</summary>
    private static async Task<(string Workflow, string Note)> EchoWithNoteAsync(int length)
    {
        var dir = TestDirs.Create("biginput");
        var note = Path.Combine(dir, "note.txt");
        var workflow = Path.Combine(dir, "echo.yaml");
        await File.WriteAllTextAsync(note, new string('x', length));
        await File.WriteAllTextAsync(workflow, "name: echo\ninputs:\n  a: { type: string }\n  b: { type: string }\nsteps: []\n");
        return (workflow, note);
    }

    [Fact]
    public async Task Reuse_true_on_a_disk_of_the_shipped_pivot_workflow_is_refused()
    {
        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(Bound,
            "run", Pivot, "--store", "memory:", "--input", "vm=vm-1",
            "--input", """disks=[{"device":"vda","target":"/var/lib/virtflow/vda.qcow2","reuse":true}]""");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal("virtflow run: invalid inputs for workflow 'copy-disks-pivot': input disks[0]: unknown property 'reuse' (declared: device, target, format)", OneLine(stderr));
    }

    [Fact]
    public async Task An_undeclared_disk_property_is_refused_naming_it()
    {
        var (code, _, stderr) = await VirtFlowProcess.RunAsync(Bound,
            "run", Pivot, "--store", "memory:", "--input", "vm=vm-1",
            "--input", """disks=[{"device":"vda","target":"/t/vda.qcow2"},{"device":"vdb","target":"/t/vdb.qcow2","sync":"none"}]""");

        Assert.Equal(2, code);
        Assert.EndsWith("input disks[1]: unknown property 'sync' (declared: device, target, format)", OneLine(stderr));
    }

    [Fact]
    public async Task Inputs_over_1_MiB_are_refused_by_the_engine()
    {
        var (workflow, file) = await EchoWithNoteAsync(700 * 1024);

        var (code, _, stderr) = await VirtFlowProcess.RunAsync(Bound, "run", workflow, "--store", "memory:", "--input", $"a=@{file}", "--input", $"b=@{file}");

        Assert.Equal(2, code);
        Assert.Equal("virtflow run: invalid inputs for workflow 'echo': the inputs take more than 1,048,576 bytes as JSON (limit MaxInputBytes); the largest is 'a' (716,802 bytes)", OneLine(stderr));
    }

    [Fact]
    public async Task An_input_file_over_1_MiB_is_refused_before_it_is_read_whole()
    {
        var (workflow, file) = await EchoWithNoteAsync(2 * 1024 * 1024);

        var (code, _, stderr) = await VirtFlowProcess.RunAsync(Bound, "run", workflow, "--store", "memory:", "--input", $"a=@{file}");

        Assert.Equal(2, code);
        Assert.StartsWith($"virtflow run: --input a=@{file}: the file holds more than 1,048,576 bytes, the limit of a workflow's inputs (MaxInputBytes)", OneLine(stderr));
    }

    [Fact]
    public async Task The_input_cap_is_set_by_VIRTFLOW_MAX_INPUT_BYTES_and_a_bad_value_is_named()
    {
        var (workflow, file) = await EchoWithNoteAsync(3000);
        var capTo2K = new Dictionary<string, string> { ["VIRTFLOW_MAX_INPUT_BYTES"] = "2048" };

        await using var capped = VirtFlowProcess.Start(capTo2K, "run", workflow, "--store", "memory:", "--input", "a=" + new string('x', 3000), "--input", "b=x");
        Assert.Equal(2, await capped.WaitForExitAsync(Bound));
        Assert.Contains("the inputs take more than 2,048 bytes as JSON (limit MaxInputBytes); the largest is 'a'", OneLine(capped.Stderr));

        await using var cappedFile = VirtFlowProcess.Start(capTo2K, "run", workflow, "--store", "memory:", "--input", $"a=@{file}", "--input", "b=x");
        Assert.Equal(2, await cappedFile.WaitForExitAsync(Bound));
        Assert.Contains("the file holds more than 2,048 bytes, the limit of a workflow's inputs (MaxInputBytes)", OneLine(cappedFile.Stderr));

        await using var bad = VirtFlowProcess.Start(new Dictionary<string, string> { ["VIRTFLOW_MAX_INPUT_BYTES"] = "lots" },
            "run", workflow, "--store", "memory:", "--input", "a=x", "--input", "b=x");
        Assert.Equal(2, await bad.WaitForExitAsync(Bound));
        Assert.Equal("virtflow run: VIRTFLOW_MAX_INPUT_BYTES: 'lots' is not a whole number of at least 1024", OneLine(bad.Stderr));
    }
}
