using System.Text.Json.Nodes;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Cli;

/// <summary>The <c>virtflow</c> executable as users start it, output redirected (the plain view).</summary>
[Collection(ProcessCollection.Name)]
public sealed class When_virtflow_run_runs_in_its_own_process
{
    private static readonly TimeSpan Finish = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task It_moves_the_disks_of_a_real_vm_showing_per_disk_progress_and_the_vm_ends_on_its_targets()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, DiskSize = 64L << 20, PrefillBytes = 16L << 20, StartRunning = true });
        var targets = new[] { Path.Combine(vm.Dir, "vda-new.qcow2"), Path.Combine(vm.Dir, "vdb-new.qcow2") };
        var file = Path.Combine(TestDirs.Create("move"), "move.yaml");
        // Rate-limited so the copy takes a few seconds and reports progress on the way.
        await File.WriteAllTextAsync(file, """
            name: move-disks
            inputs:
              vm: { type: string, required: true }
              disks: { type: array, required: true }
            steps:
              - id: mirror
                type: vm.mirror
                with: { vm: "${ inputs.vm }", disks: "${ inputs.disks }", speed: 4194304 }
              - id: ready
                type: vm.waitReady
                with: { vm: "${ inputs.vm }", jobs: "${ steps.mirror.outputs.jobs }", timeout: 3m }
              - id: quiesce
                type: vm.quiesce
                with: { vm: "${ inputs.vm }", mode: pause }
              - id: pivot
                type: vm.pivot
                with: { vm: "${ inputs.vm }", jobs: "${ steps.ready.outputs.jobs }" }
              - id: thaw
                type: vm.unquiesce
                with: { vm: "${ inputs.vm }", leaseId: "${ steps.quiesce.outputs.leaseId }" }
            outputs:
              pivoted: ${ steps.pivot.outputs.pivoted }
            """);
        var disks = Path.Combine(Path.GetDirectoryName(file)!, "disks.json");
        await File.WriteAllTextAsync(disks, new JsonArray(
            new JsonObject { ["device"] = "vda", ["target"] = targets[0], ["format"] = "qcow2" },
            new JsonObject { ["device"] = "vdb", ["target"] = targets[1], ["format"] = "qcow2" }).ToJsonString());
        var store = "sqlite:" + Path.Combine(TestDirs.Create("move-db"), "virtflow.db");

        await using var run = VirtFlowProcess.Start("run", file, "--store", store, "--vm", $"vm1=qmp:{vm.QmpSocketPath}",
            "--storage-root", vm.Dir, "--input", "vm=vm1", "--input", $"disks=@{disks}");
        Assert.True(await run.WaitForExitAsync(Finish) == 0, run.ToString());

        var lines = run.Stdout.Split('\n');
        Assert.Contains(lines, l => l.EndsWith("] step mirror started", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("] disk vda copying ", StringComparison.Ordinal) && l.EndsWith('%'));
        Assert.Contains(lines, l => l.Contains("] disk vdb copying ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("] step pivot completed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("completed: move-disks ", StringComparison.Ordinal));

        var files = (await vm.Monitor.QueryBlockAsync())
            .Where(b => b.Inserted is not null)
            .ToDictionary(b => b.Qdev!.Split('/')[3], b => b.Inserted!.File);
        Assert.Equal(targets[0], files["vda"]);
        Assert.Equal(targets[1], files["vdb"]);
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
    }

    [Fact]
    public async Task Without_store_it_keeps_its_state_in_virtflow_db_under_VIRTFLOW_HOME()
    {
        var home = TestDirs.Create("home");
        var file = Path.Combine(home, "hi.yaml");
        await File.WriteAllTextAsync(file, "name: hi\nsteps:\n  - type: log\n    with: { message: hi }\n");

        await using var run = VirtFlowProcess.Start(new Dictionary<string, string> { ["VIRTFLOW_HOME"] = Path.Combine(home, "state") }, "run", file, "--json");
        Assert.True(await run.WaitForExitAsync(Finish) == 0, run.ToString());

        Assert.True(File.Exists(Path.Combine(home, "state", "virtflow.db")));
        var id = JsonNode.Parse(run.Stdout)!["id"]!.GetValue<string>();
        await using var db = await VirtFlow.Engine.Storage.StoreFactory.OpenAsync("sqlite:" + Path.Combine(home, "state", "virtflow.db"));
        Assert.Equal(VirtFlow.Engine.Storage.InstanceStatus.Completed, (await db.GetInstanceAsync(id))!.Status);
    }
}
