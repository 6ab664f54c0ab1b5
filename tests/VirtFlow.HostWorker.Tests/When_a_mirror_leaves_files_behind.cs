using VirtFlow.Contracts;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;
using static VirtFlow.HostWorker.Tests.Disks;

namespace VirtFlow.HostWorker.Tests;

/// <summary>
/// What a failed or rolled-back mirror leaves: the worker deletes the target images it created (also after a restart,
/// from its state folder) and never a file that was there before; a failed job reports QEMU's own error.
/// </summary>
public sealed class When_a_mirror_leaves_files_behind(ITestOutputHelper output)
{
    [Fact]
    public async Task A_rollback_by_a_restarted_worker_deletes_the_targets_it_created_and_leaves_a_file_that_was_there()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, PrefillBytes = 1 * MiB, StartRunning = true });
        var dir = TargetsDir(vm);
        var state = Path.Combine(vm.Dir, "state");
        var reused = Target(dir, "vdb", "qcow2");
        await QemuImg.CreateAsync(reused, "qcow2", vm.Disk("vdb").Size);
        var precious = Target(dir, "vdc", "qcow2");
        await File.WriteAllTextAsync(precious, "precious data, not an image");
        void Configure(HostWorkerOptions o)
        {
            o.StorageRoots.Add(dir);
            o.StateDirectory = state;
        }

        await using (var first = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: Configure))
        {
            var refused = await first.RunAsync(Commands.Mirror(Spec(dir, "vda") with { JobId = "m-other", TargetPath = precious }));
            Assert.Equal(HostErrorClasses.TargetExists, refused.ErrorClass);
            var started = await first.RunOkAsync<MirrorDisksResult>(Commands.Mirror(Spec(dir, "vda"), Spec(dir, "vdb") with { Reuse = true }));
            Assert.Equal([true, false], started.Disks.Select(d => d.Created));
        }

        // A new worker process (same state folder) rolls back: force-cancel, then dismiss deleting the targets.
        await using var second = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: Configure);
        await second.RunOkAsync<JobsResult>(Commands.Cancel(Job("vda"), Job("vdb")) with { Force = true });
        var dismissed = await second.RunOkAsync<DismissJobsResult>(Commands.Dismiss(Job("vda"), Job("vdb")) with { DeleteTargets = true });

        Assert.Equal([Target(dir, "vda", "qcow2")], dismissed.DeletedFiles);
        Assert.False(File.Exists(Target(dir, "vda", "qcow2")));
        Assert.True(File.Exists(reused), "the reused image was there before the mirror: it is not the worker's to delete");
        Assert.Equal("precious data, not an image", await File.ReadAllTextAsync(precious));
        Assert.Contains(second.Logs.Lines, l => l.Text.Contains($"removed {Target(dir, "vda", "qcow2")}", StringComparison.Ordinal));
        Assert.Empty(await VmInspect.JobsAsync(vm.Monitor));
        foreach (var disk in vm.Disks) Assert.Equal(disk.NodeName, await VmInspect.NodeOfAsync(vm.Monitor, disk.Id));

        // The same mirror again (a retry) finds nothing in its way.
        var retried = await second.RunOkAsync<MirrorDisksResult>(Commands.Mirror(Spec(dir, "vda")));
        Assert.True(Assert.Single(retried.Disks).Created);
    }

    [Fact]
    public async Task A_target_filesystem_that_fills_up_fails_the_job_with_QEMUs_reason_and_the_partial_target_is_removed()
    {
        Assert.True(ServerCommands.IsRoot, "mounting a small tmpfs needs root");
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, PrefillBytes = 16 * MiB, StartRunning = true });
        using var small = TinyFilesystem.Mount(Path.Combine(vm.Dir, "small"), 2 * MiB);
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.StorageRoots.Add(small.Path));
        var target = Target(small.Path, "vda", "qcow2");

        await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror(Spec(small.Path, "vda")));
        var failed = await worker.Sink.WaitForAsync<JobStatusChanged>(e => e.JobId == Job("vda") && e.Status == JobStatus.Concluded);

        output.WriteLine($"outcome {failed.Outcome}: {failed.Error}");
        Assert.Equal(JobOutcomes.Failed, failed.Outcome);
        Assert.Equal("No space left on device", failed.Error);
        // The partial copy blocks a retry: dismissing the failed job removes it (the worker made it).
        var dismissed = await worker.RunOkAsync<DismissJobsResult>(Commands.Dismiss(Job("vda")));
        Assert.Equal("No space left on device", Assert.Single(dismissed.Jobs).Error);
        Assert.Equal([target], dismissed.DeletedFiles);
        Assert.False(File.Exists(target));
        Assert.Equal(vm.Disks[0].NodeName, await VmInspect.NodeOfAsync(vm.Monitor, "vda"));
    }
}
