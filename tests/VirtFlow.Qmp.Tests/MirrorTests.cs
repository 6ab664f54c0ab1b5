using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

public sealed class MirrorTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public async Task Two_disks_driven_to_pending_then_finalized_switch_together_and_copy_exactly()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, PrefillBytes = 24 * MiB });
        await using var qmp = await vm.ConnectAsync();
        var targets = new Dictionary<string, string>();
        foreach (var disk in vm.Disks)
            targets[disk.Id] = await MirrorSteps.StartAsync(vm, qmp, disk);

        foreach (var disk in vm.Disks) await MirrorSteps.ExpectStatusAsync(qmp, disk, JobStatus.Ready);
        foreach (var disk in vm.Disks) await qmp.JobCompleteAsync(MirrorSteps.JobId(disk));
        foreach (var disk in vm.Disks) await MirrorSteps.ExpectStatusAsync(qmp, disk, JobStatus.Pending);

        // At PENDING nothing has switched yet: the all-or-nothing point.
        foreach (var disk in vm.Disks) Assert.Equal(disk.NodeName, await MirrorSteps.NodeOfAsync(qmp, disk));

        using var completed = qmp.Subscribe(e => e.Name == "BLOCK_JOB_COMPLETED");
        foreach (var disk in vm.Disks) await qmp.JobFinalizeAsync(MirrorSteps.JobId(disk));
        var seen = new HashSet<string>();
        for (var i = 0; i < vm.Disks.Count; i++)
        {
            var evt = await completed.WaitAsync(null, MirrorSteps.Slow);
            Assert.False(evt.Data.TryGetProperty("error", out _), evt.ToJson());
            seen.Add(evt.GetString("device")!);
        }
        Assert.Equal(vm.Disks.Select(MirrorSteps.JobId).ToHashSet(), seen);

        foreach (var disk in vm.Disks) Assert.Equal(MirrorSteps.TargetNode(disk), await MirrorSteps.NodeOfAsync(qmp, disk));
        var jobs = await qmp.QueryJobsAsync();
        Assert.All(jobs, j => Assert.Equal((JobStatus.Concluded, (string?)null), (j.Status, j.Error)));
        foreach (var disk in vm.Disks) await qmp.JobDismissAsync(MirrorSteps.JobId(disk));
        Assert.Empty(await qmp.QueryJobsAsync());

        await vm.ShutdownAsync();
        foreach (var disk in vm.Disks)
        {
            var compare = await QemuVm.QemuImgCompareAsync(disk.ImagePath, targets[disk.Id]);
            Assert.True(compare.Identical, compare.Output);
            Assert.True(await QemuImg.HasPatternAsync(targets[disk.Id], disk.Format, QemuVmOptions.PrefillPattern(vm.Disks.ToList().IndexOf(disk)), 0, 24 * MiB));
        }
    }

    [Fact]
    public async Task Cancelling_a_ready_mirror_stops_at_pending_then_leaves_the_VM_on_its_source()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, PrefillBytes = 16 * MiB });
        await using var qmp = await vm.ConnectAsync();
        var disk = vm.Disks[0];
        var target = await MirrorSteps.StartAsync(vm, qmp, disk);
        await MirrorSteps.ExpectStatusAsync(qmp, disk, JobStatus.Ready);

        await vm.GuestWriteAsync(disk.Id, 0x66, 1 * MiB, 1 * MiB);   // while READY: must reach the target
        using var events = qmp.Subscribe(e => e.Name is "BLOCK_JOB_COMPLETED" or "BLOCK_JOB_CANCELLED");
        await qmp.BlockJobCancelAsync(MirrorSteps.JobId(disk));
        await MirrorSteps.ExpectStatusAsync(qmp, disk, JobStatus.Pending);
        Assert.Equal(disk.NodeName, await MirrorSteps.NodeOfAsync(qmp, disk));

        await qmp.JobFinalizeAsync(MirrorSteps.JobId(disk));
        var end = await events.WaitAsync(null, MirrorSteps.Slow);
        Assert.Equal("BLOCK_JOB_COMPLETED", end.Name);
        await MirrorSteps.ExpectStatusAsync(qmp, disk, JobStatus.Concluded);
        Assert.Equal(disk.NodeName, await MirrorSteps.NodeOfAsync(qmp, disk));

        await vm.GuestWriteAsync(disk.Id, 0x77, 2 * MiB, 1 * MiB);   // after the cancel: source only
        await vm.ShutdownAsync();

        Assert.True(await QemuImg.HasPatternAsync(target, disk.Format, 0x66, 1 * MiB, 1 * MiB));
        Assert.True(await QemuImg.HasPatternAsync(target, disk.Format, QemuVmOptions.PrefillPattern(0), 2 * MiB, 1 * MiB));
        Assert.True(await QemuImg.HasPatternAsync(disk.ImagePath, disk.Format, 0x77, 2 * MiB, 1 * MiB));
        Assert.False((await QemuVm.QemuImgCompareAsync(disk.ImagePath, target)).Identical);
    }

    [Fact]
    public async Task Guest_writes_while_copying_and_while_ready_reach_the_target()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, PrefillBytes = 16 * MiB });
        await using var qmp = await vm.ConnectAsync();
        var disk = vm.Disks[0];
        var job = MirrorSteps.JobId(disk);
        var target = await MirrorSteps.StartAsync(vm, qmp, disk, speed: 1 * MiB);   // slow: still copying when we write

        var status = Assert.Single(await qmp.QueryJobsAsync()).Status;
        Assert.Equal(JobStatus.Running, status);
        await vm.GuestWriteAsync(disk.Id, 0x66, 4 * MiB, 1 * MiB);    // inside the prefilled, maybe not yet copied, area
        await vm.GuestWriteAsync(disk.Id, 0x67, 40 * MiB, 1 * MiB);   // an area the source had never allocated
        await qmp.BlockJobSetSpeedAsync(job, 0);
        await MirrorSteps.ExpectStatusAsync(qmp, disk, JobStatus.Ready);

        await vm.GuestWriteAsync(disk.Id, 0x88, 8 * MiB, 1 * MiB);    // after READY, before complete
        await qmp.JobCompleteAsync(job);
        await MirrorSteps.ExpectStatusAsync(qmp, disk, JobStatus.Pending);
        await qmp.JobFinalizeAsync(job);
        await MirrorSteps.ExpectStatusAsync(qmp, disk, JobStatus.Concluded);
        Assert.Equal(MirrorSteps.TargetNode(disk), await MirrorSteps.NodeOfAsync(qmp, disk));
        await vm.GuestWriteAsync(disk.Id, 0x99, 12 * MiB, 1 * MiB);   // after the pivot: lands on the target only

        await vm.ShutdownAsync();
        Assert.True(await QemuImg.HasPatternAsync(target, disk.Format, 0x66, 4 * MiB, 1 * MiB));
        Assert.True(await QemuImg.HasPatternAsync(target, disk.Format, 0x67, 40 * MiB, 1 * MiB));
        Assert.True(await QemuImg.HasPatternAsync(target, disk.Format, 0x88, 8 * MiB, 1 * MiB));
        Assert.True(await QemuImg.HasPatternAsync(target, disk.Format, 0x99, 12 * MiB, 1 * MiB));
        Assert.True(await QemuImg.HasPatternAsync(disk.ImagePath, disk.Format, QemuVmOptions.PrefillPattern(0), 12 * MiB, 1 * MiB));
    }
}
