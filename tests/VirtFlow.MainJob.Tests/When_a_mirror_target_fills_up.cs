using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using static VirtFlow.MainJob.Tests.MainJob;

namespace VirtFlow.MainJob.Tests;

/// <summary>
/// copy-disks-pivot.yaml with a target filesystem too small for the disk (a real ENOSPC, on a 2 MiB tmpfs): the fault
/// carries QEMU's reason, the rollback removes the partial target it created and says so, and the VM stays on its source.
/// </summary>
public sealed class When_a_mirror_target_fills_up
{
    [Fact]
    public async Task The_fault_says_no_space_left_and_the_rollback_removes_the_partial_target()
    {
        Assert.True(ServerCommands.IsRoot, "mounting a small tmpfs needs root");
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, DiskSize = 32L << 20, PrefillBytes = 16L << 20, StartRunning = true });
        using var small = TinyFilesystem.Mount(Path.Combine(vm.Dir, "small"), 2L << 20);
        var target = Path.Combine(small.Path, "web1-vda.qcow2");

        WorkflowInstance instance;
        IReadOnlyList<JournalEntry> journal;
        await using (var host = await StartHostAsync(new VmSpec("vm1", vm.QmpSocketPath)))
        {
            instance = await RunAsync(host, "copy-disks-pivot", Inputs("vm1", "pause", ("vda", target, "qcow2")));
            journal = await host.Engine.GetJournalAsync(instance.Id);
        }

        Assert.True(instance.Status == InstanceStatus.Faulted, Details(instance));
        Assert.Contains("mirror of vda on VM 'vm1' failed before it was READY: No space left on device", instance.Fault, StringComparison.Ordinal);
        Assert.Contains(journal, j => j.Kind == "TargetsRemoved" && j.Message!.Contains($"removed {target}", StringComparison.Ordinal));
        Assert.False(File.Exists(target), "the partial target is left behind");
        Assert.Equal(vm.Disk("vda").ImagePath, await FileOfAsync(vm.Monitor, "vda"));
        Assert.Empty(await vm.Monitor.QueryJobsAsync());
    }
}
