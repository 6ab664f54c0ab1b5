using VirtFlow.Cli.Commands;
using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

/// <summary>
/// The operator's view of copy-disks-pivot run against a real QEMU: each step by its id, each disk's phase (copying,
/// ready, switching, switched) and the quiesce window; the waiting step's bookmark list only with -v.
/// </summary>
public sealed class When_virtflow_run_moves_disks
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);
    private static readonly string Workflow = Path.Combine(TestDirs.RepoRoot, "workflows", "copy-disks-pivot.yaml");

    [Fact]
    public async Task It_shows_steps_disk_phases_and_the_quiesce_window_without_bookmark_lists()
    {
        var (code, stdout, stderr) = await MoveAsync();

        Assert.True(code == 0, stderr + stdout);
        var lines = stdout.Split('\n');
        foreach (var step in new[] { "mirror", "wait", "pivot" })
        {
            Assert.Contains(lines, l => l.EndsWith($"] step {step} started", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.EndsWith($"] step {step} completed", StringComparison.Ordinal));
        }
        foreach (var disk in new[] { "vda", "vdb" })
        {
            Assert.Contains(lines, l => l.Contains($"] disk {disk} copying ", StringComparison.Ordinal) && l.EndsWith('%'));
            Assert.Contains(lines, l => l.EndsWith($"] disk {disk} ready", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.EndsWith($"] disk {disk} switching", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains($"] disk {disk} switched to ", StringComparison.Ordinal));
        }
        Assert.Contains(lines, l => l.Contains("] quiesce window: guest held by pause for ", StringComparison.Ordinal));
        Assert.DoesNotContain("waits for", stdout, StringComparison.Ordinal);
        Assert.True(lines.Count(l => l.EndsWith("] step wait waits", StringComparison.Ordinal)) <= 1, stdout);
    }

    [Fact]
    public async Task With_v_it_also_names_what_a_waiting_step_waits_for()
    {
        var (code, stdout, stderr) = await MoveAsync("-v");

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("] step wait waits for ", stdout, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Out, string Err)> MoveAsync(params string[] extra)
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, DiskSize = 32L << 20, PrefillBytes = 8L << 20, StartRunning = true });
        var disks = $$"""[{"device":"vda","target":"{{Path.Combine(vm.Dir, "moved-vda.qcow2")}}"},{"device":"vdb","target":"{{Path.Combine(vm.Dir, "moved-vdb.qcow2")}}"}]""";
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        using var cts = new CancellationTokenSource(Wait);
        string[] args = [Workflow, "--store", "memory:", "--vm", $"vm1=qmp:{vm.QmpSocketPath}", "--input", "vm=vm1", "--input", $"disks={disks}", "--input", "quiesce=pause", .. extra];
        var code = await RunCommand.RunAsync(args, stdout, stderr, cts.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
