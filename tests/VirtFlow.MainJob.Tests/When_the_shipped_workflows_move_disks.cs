using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using static VirtFlow.MainJob.Tests.MainJob;

namespace VirtFlow.MainJob.Tests;

/// <summary>copy-disks-pivot.yaml and point-in-time-copy.yaml, embedded, against real QEMU.</summary>
public sealed class When_the_shipped_workflows_move_disks
{
    private const long Size = 32L << 20;

    [Fact]
    public async Task Copy_disks_pivot_moves_qcow2_and_raw_targets_with_the_writes_made_during_the_mirror()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, DiskSize = Size, PrefillBytes = 8L << 20, StartRunning = true });
        var targets = new[] { ("vda", Path.Combine(vm.Dir, "moved-vda.qcow2"), "qcow2"), ("vdb", Path.Combine(vm.Dir, "moved-vdb.raw"), "raw") };
        // Before the mirror starts: lands on the sources, must be copied.
        await vm.GuestWriteAsync("vda", 0xa1, 20L << 20, 1 << 20);
        await vm.GuestWriteAsync("vdb", 0xb1, 20L << 20, 1 << 20);

        WorkflowInstance instance;
        GuestWriter writer;
        await using (var host = await StartHostAsync(new VmSpec("vm1", vm.QmpSocketPath)))
        {
            writer = new GuestWriter(vm, ["vda", "vdb"], 24L << 20);
            await using (writer)
            {
                instance = await RunAsync(host, "copy-disks-pivot", Inputs("vm1", "pause", targets));
                await writer.StopAsync();
            }
        }
        Assert.True(instance.Status == InstanceStatus.Completed, Details(instance));
        Assert.Equal("pause", instance.Output!["quiesceMethod"]!.GetValue<string>());
        Assert.True(instance.Output["quiescedMs"]!.GetValue<double>() >= instance.Output["switchMs"]!.GetValue<double>(), instance.Output.ToJsonString());
        Assert.True(writer.WhileReady > 0, $"the guest wrote while the mirrors were READY ({writer.Count} writes in all)");

        foreach (var (dev, target, _) in targets)
            Assert.Equal(target, await FileOfAsync(vm.Monitor, dev));
        Assert.Empty(await vm.Monitor.QueryJobsAsync());
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running, "resumed after the switch");

        await vm.ShutdownAsync();
        foreach (var (dev, target, format) in targets)
        {
            var compare = await QemuImg.CompareAsync(vm.Disk(dev).ImagePath, target);
            Assert.True(compare.Identical, $"{dev}: {compare.Output}");
            Assert.True(await QemuImg.HasPatternAsync(target, format, QemuVmOptions.PrefillPattern(dev == "vda" ? 0 : 1), 0, 8L << 20), $"{dev}: prefill");
            Assert.True(await QemuImg.HasPatternAsync(target, format, dev == "vda" ? (byte)0xa1 : (byte)0xb1, 20L << 20, 1 << 20), $"{dev}: write before the mirror");
        }
        foreach (var ((dev, offset), pattern) in writer.Last)
        {
            var format = targets.Single(t => t.Item1 == dev).Item3;
            var target = targets.Single(t => t.Item1 == dev).Item2;
            Assert.True(await QemuImg.HasPatternAsync(target, format, pattern, offset, GuestWriter.Slot), $"{dev}@{offset}: 0x{pattern:x2} written during the mirror");
        }
    }

    [Fact]
    public async Task Point_in_time_copy_leaves_the_vm_on_its_sources_and_the_targets_as_of_the_cancel()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, DiskSize = Size, PrefillBytes = 4L << 20, StartRunning = true });
        var targets = new[] { ("vda", Path.Combine(vm.Dir, "copy-vda.qcow2"), "qcow2"), ("vdb", Path.Combine(vm.Dir, "copy-vdb.raw"), "raw") };

        WorkflowInstance instance;
        GuestWriter writer;
        await using (var host = await StartHostAsync(new VmSpec("vm1", vm.QmpSocketPath)))
        {
            writer = new GuestWriter(vm, ["vda", "vdb"], 8L << 20);
            await using (writer)
            {
                instance = await RunAsync(host, "point-in-time-copy", Inputs("vm1", "pause", targets));
                await writer.StopAsync();
            }
        }
        Assert.True(instance.Status == InstanceStatus.Completed, Details(instance));
        Assert.Equal(2, instance.Output!["copies"]!.AsArray().Count);
        foreach (var (dev, _, _) in targets)
            Assert.Equal(vm.Disk(dev).ImagePath, await FileOfAsync(vm.Monitor, dev));
        Assert.Empty(await vm.Monitor.QueryJobsAsync());
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running, "resumed after the copy");

        // After the moment: on the sources only.
        const long after = 30L << 20;
        await vm.GuestWriteAsync("vda", 0xee, after, 64 << 10);
        await vm.GuestWriteAsync("vdb", 0xee, after, 64 << 10);
        await vm.ShutdownAsync();

        foreach (var (dev, target, format) in targets)
        {
            var compare = await QemuImg.CompareAsync(vm.Disk(dev).ImagePath, target);
            Assert.False(compare.Identical, $"{dev}: the write after the copy is not on it");
            Assert.Contains($"offset {after}", compare.Output, StringComparison.Ordinal); // the first (and only) difference
            Assert.False(await QemuImg.HasPatternAsync(target, format, 0xee, after, 64 << 10), $"{dev}: post-copy write");
            Assert.True(await QemuImg.HasPatternAsync(target, format, QemuVmOptions.PrefillPattern(dev == "vda" ? 0 : 1), 0, 4L << 20), $"{dev}: prefill");
            // Everything up to the moment: equal to the source over the first 30 MiB.
            var head = await ExternalTool.RunAsync("qemu-img", ["compare", "--image-opts",
                $"driver=raw,offset=0,size={after},file.driver={vm.Disk(dev).Format},file.file.driver=file,file.file.filename={vm.Disk(dev).ImagePath}",
                $"driver=raw,offset=0,size={after},file.driver={format},file.file.driver=file,file.file.filename={target}"]);
            Assert.True(head.ExitCode == 0, $"{dev}: {head.Output}");
        }
        foreach (var ((dev, offset), pattern) in writer.Last)
        {
            var (_, target, format) = targets.Single(t => t.Item1 == dev);
            Assert.True(await QemuImg.HasPatternAsync(target, format, pattern, offset, GuestWriter.Slot), $"{dev}@{offset}: 0x{pattern:x2}");
        }
    }

    [Fact]
    public async Task A_target_that_cannot_be_created_faults_naming_the_disk_and_leaves_the_vm_running_on_its_sources()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 3, DiskSize = Size, StartRunning = true });
        var targets = new[]
        {
            ("vda", Path.Combine(vm.Dir, "moved-vda.qcow2"), "qcow2"),
            ("vdb", Path.Combine(vm.Dir, "moved-vdb.qcow2"), "qcow2"),
            ("vdc", Path.Combine(vm.Dir, "moved-vdc.raw"), "raw"),
        };
        await File.WriteAllTextAsync(targets[1].Item2, "precious data, not an image to overwrite\n");

        WorkflowInstance instance;
        await using (var host = await StartHostAsync(new VmSpec("vm1", vm.QmpSocketPath)))
            instance = await RunAsync(host, "copy-disks-pivot", Inputs("vm1", "pause", targets));

        Assert.True(instance.Status == InstanceStatus.Faulted, Details(instance));
        Assert.Contains("vdb", instance.Fault, StringComparison.Ordinal);
        foreach (var (dev, _, _) in targets)
            Assert.Equal(vm.Disk(dev).ImagePath, await FileOfAsync(vm.Monitor, dev));
        Assert.Empty(await vm.Monitor.QueryJobsAsync());
        var status = await vm.Monitor.QueryStatusAsync();
        Assert.True(status.Running, $"status {status.Status}");
        Assert.Equal("precious data, not an image to overwrite\n", await File.ReadAllTextAsync(targets[1].Item2));
    }

    [Fact]
    public async Task A_vm_paused_before_the_run_stays_paused_after_copy_disks_pivot()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, DiskSize = Size, PrefillBytes = 2L << 20, StartRunning = true });
        await vm.Monitor.StopAsync();
        var target = Path.Combine(vm.Dir, "moved-vda.qcow2");

        WorkflowInstance instance;
        await using (var host = await StartHostAsync(new VmSpec("vm1", vm.QmpSocketPath)))
            instance = await RunAsync(host, "copy-disks-pivot", Inputs("vm1", "pause", ("vda", target, "qcow2")));

        Assert.True(instance.Status == InstanceStatus.Completed, Details(instance));
        Assert.Equal(target, await FileOfAsync(vm.Monitor, "vda"));
        Assert.Empty(await vm.Monitor.QueryJobsAsync());
        var status = await vm.Monitor.QueryStatusAsync();
        Assert.False(status.Running, $"status {status.Status}");
        Assert.Equal("paused", status.Status);
        await vm.ShutdownAsync();
        Assert.True((await QemuImg.CompareAsync(vm.Disk("vda").ImagePath, target)).Identical);
    }

    [Fact]
    public async Task A_tiny_disk_that_is_ready_at_once_is_moved()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, DiskSize = 1L << 20, PrefillBytes = 1L << 20, StartRunning = true });
        var target = Path.Combine(vm.Dir, "moved-vda.qcow2");

        WorkflowInstance instance;
        IReadOnlyList<JournalEntry> journal;
        await using (var host = await StartHostAsync(new VmSpec("vm1", vm.QmpSocketPath)))
        {
            instance = await RunAsync(host, "copy-disks-pivot", Inputs("vm1", "none", ("vda", target, "qcow2")));
            journal = await host.Engine.GetJournalAsync(instance.Id);
        }
        Assert.True(instance.Status == InstanceStatus.Completed, Details(instance));
        Assert.Contains(journal, j => j.StepPath?.EndsWith("wait", StringComparison.Ordinal) == true && j.Kind == "StepCompleted");
        Assert.Equal(target, await FileOfAsync(vm.Monitor, "vda"));
        Assert.Empty(await vm.Monitor.QueryJobsAsync());
        await vm.ShutdownAsync();
        Assert.True((await QemuImg.CompareAsync(vm.Disk("vda").ImagePath, target)).Identical);
    }
}
