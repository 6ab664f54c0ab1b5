using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Cli;

/// <summary>
/// <c>virtflow run</c> pauses a VM under a quiesce lease and is killed -9 before it resumes it. Its embedded worker kept the
/// lease on disk (under the storage root, as <c>virtflow worker</c> does), so <c>virtflow resume</c> on the same storage root
/// takes the lease over and the VM runs again when it ends: a guest is never left paused (docs/rules.md#r5-quiesce-lease).
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class When_virtflow_run_is_killed_while_the_vm_is_paused
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    [Fact]
    public Task The_next_resume_runs_the_vm_again_when_the_lease_ends() => KilledAsync().WaitAsync(TimeSpan.FromMinutes(6));

    private static async Task KilledAsync()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var file = Path.Combine(TestDirs.Create("paused"), "pause.yaml");
        await File.WriteAllTextAsync(file, """
            name: pause-then-wait
            steps:
              - id: quiesce
                type: vm.quiesce
                with: { vm: vm1, mode: pause, lease: 15s }
              - id: hold
                type: waitEvent
                with: { event: never }
            """);
        var store = "sqlite:" + Path.Combine(TestDirs.Create("paused-db"), "virtflow.db");
        string[] vmArgs = ["--store", store, "--vm", $"vm1=qmp:{vm.QmpSocketPath}", "--storage-root", vm.Dir];

        await using (var run = VirtFlowProcess.Start(["run", file, .. vmArgs]))
        {
            await run.WaitForOutputAsync("step hold", Wait);
            Assert.False((await vm.Monitor.QueryStatusAsync()).Running, "the quiesce did not pause the VM\n" + run);
            run.Kill();
        }
        Assert.False((await vm.Monitor.QueryStatusAsync()).Running);

        // resume continues the instance (it waits again) and its worker takes the lease over; the VM runs when it ends.
        await using var resume = VirtFlowProcess.Start(["resume", .. vmArgs, "-v"]);
        await Eventually.Until(async () => (await vm.Monitor.QueryStatusAsync()).Running, Wait, "the VM running again\n" + resume);
        Assert.Contains("took over lease", resume.Stderr, StringComparison.Ordinal);
    }
}
