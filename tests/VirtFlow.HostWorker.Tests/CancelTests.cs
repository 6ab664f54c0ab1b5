using VirtFlow.Contracts;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;
using static VirtFlow.HostWorker.Tests.Disks;

namespace VirtFlow.HostWorker.Tests;

public sealed class CancelTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cancel_after_ready_leaves_the_VM_on_its_source_and_the_target_a_copy_of_the_source_at_the_cancel()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, PrefillBytes = 16 * MiB });
        var dir = TargetsDir(vm);
        var target = Target(dir, "vda", "qcow2");
        await using (var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output))
        {
            await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror(Spec(dir, "vda")));
            await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, Job("vda"));
            await vm.GuestWriteAsync("vda", 0x66, 1 * MiB, 1 * MiB);   // while READY: part of the copy

            var cancelled = await worker.RunOkAsync<JobsResult>(Commands.Cancel(Job("vda")));

            var job = Assert.Single(cancelled.Jobs);
            Assert.Equal((JobStatus.Concluded, JobOutcomes.Cancelled, (string?)null, true), (job.Status, job.Outcome, job.Error, job.Acted));
            var concluded = await worker.Sink.WaitForAsync<JobStatusChanged>(e => e.JobId == Job("vda") && e.Status == JobStatus.Concluded);
            Assert.Equal(JobOutcomes.Cancelled, concluded.Outcome);
            Assert.Equal("src-vda", await VmInspect.NodeOfAsync(vm.Monitor, "vda"));
            await vm.GuestWriteAsync("vda", 0x77, 2 * MiB, 1 * MiB);   // after the cancel: the source only

            var again = await worker.RunOkAsync<JobsResult>(Commands.Cancel(Job("vda")));
            Assert.False(Assert.Single(again.Jobs).Acted);
        }
        await vm.ShutdownAsync();
        var source = vm.Disks[0].ImagePath;
        Assert.True(await QemuImg.HasPatternAsync(target, "qcow2", 0x66, 1 * MiB, 1 * MiB));
        Assert.True(await QemuImg.HasPatternAsync(target, "qcow2", QemuVmOptions.PrefillPattern(0), 2 * MiB, 1 * MiB));
        Assert.True(await QemuImg.HasPatternAsync(source, "qcow2", 0x77, 2 * MiB, 1 * MiB));
        // Undo the one write made after the cancel: then source and target are the same image.
        await QemuImg.FillAsync(source, "qcow2", QemuVmOptions.PrefillPattern(0), 2 * MiB, 1 * MiB);
        var compare = await QemuImg.CompareAsync(source, target);
        Assert.True(compare.Identical, compare.Output);
    }

    [Fact]
    public async Task Cancel_before_ready_ends_the_job_cancelled_and_dismiss_then_removes_the_target_node()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, PrefillBytes = 16 * MiB });
        var dir = TargetsDir(vm);
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.ProgressInterval = TimeSpan.FromMilliseconds(100));
        await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror(Spec(dir, "vda", speed: 1 * MiB)));
        // Progress is reported while it copies.
        var progress = await worker.Sink.WaitForAsync<JobProgress>(p => p.JobId == Job("vda") && p.Offset > 0);
        Assert.Equal(JobStatus.Running, progress.Status);
        Assert.Equal(1 * MiB, progress.Speed);

        var cancelled = await worker.RunOkAsync<JobsResult>(Commands.Cancel(Job("vda")));

        var job = Assert.Single(cancelled.Jobs);
        Assert.Equal((JobStatus.Concluded, JobOutcomes.Cancelled), (job.Status, job.Outcome));
        Assert.Equal("Operation canceled", job.Error);
        Assert.Equal("src-vda", await VmInspect.NodeOfAsync(vm.Monitor, "vda"));
        Assert.Contains(TargetNode("vda"), await VmInspect.NamedNodesAsync(vm.Monitor));

        var dismissed = await worker.RunOkAsync<DismissJobsResult>(Commands.Dismiss(Job("vda")));
        Assert.Equal([TargetNode("vda")], dismissed.RemovedNodes);
        Assert.Contains(dismissed.KeptNodes, k => k.Node == "src-vda" && k.Reason.Contains("vda", StringComparison.Ordinal));
        Assert.Empty(await VmInspect.JobsAsync(vm.Monitor));
        Assert.Equal(["src-vda"], await VmInspect.NamedNodesAsync(vm.Monitor));
        await worker.Sink.WaitForAsync<JobStatusChanged>(e => e.JobId == Job("vda") && e.Status == JobStatus.Null);

        var again = await worker.RunOkAsync<DismissJobsResult>(Commands.Dismiss(Job("vda")));
        Assert.Equal((JobStatus.Null, false), (Assert.Single(again.Jobs).Status, again.Jobs[0].Acted));
    }
}
