using VirtFlow.Contracts;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;
using static VirtFlow.HostWorker.Tests.Disks;

namespace VirtFlow.HostWorker.Tests;

public sealed class MirrorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Three_disks_mirrored_to_qcow2_and_raw_with_guest_writes_then_pivoted_together_are_identical_copies()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 3, PrefillBytes = 8 * MiB });
        var dir = TargetsDir(vm);
        var formats = new Dictionary<string, string> { ["vda"] = "qcow2", ["vdb"] = "raw", ["vdc"] = "qcow2" };
        await using (var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.StorageRoots.Add(dir)))
        {
            // Slow copies, so the first guest writes land while the jobs are still running.
            var mirrored = await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror([.. formats.Select(f => Spec(dir, f.Key, f.Value, speed: 1 * MiB))]));
            Assert.Equal(["vda", "vdb", "vdc"], mirrored.Disks.Select(d => d.Device));
            Assert.All(mirrored.Disks, d => Assert.True(d.Created && !d.Existing && File.Exists(d.Target), d.ToString()));
            Assert.Equal(["src-vda", "src-vdb", "src-vdc"], mirrored.Disks.Select(d => d.SourceNode));
            Assert.Equal(formats.Values, mirrored.Disks.Select(d => d.Format));

            foreach (var disk in vm.Disks) await vm.GuestWriteAsync(disk.Id, 0x5a, 40 * MiB, 1 * MiB);   // while copying
            foreach (var disk in vm.Disks) await vm.Monitor.BlockJobSetSpeedAsync(Job(disk.Id), 0);
            await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, [.. vm.Disks.Select(d => Job(d.Id))]);
            foreach (var disk in vm.Disks) await vm.GuestWriteAsync(disk.Id, 0x6b, 2 * MiB, 1 * MiB);    // while READY

            var pivot = await worker.RunOkAsync<PivotJobsResult>(Commands.Pivot([.. vm.Disks.Select(d => Job(d.Id))]));
            output.WriteLine($"pivot window: complete->pending {pivot.CompleteToPendingMs:0.0} ms, finalize {pivot.FinalizeMs:0.0} ms, total {pivot.TotalMs:0.0} ms");
            foreach (var disk in vm.Disks)
            {
                Assert.Equal(TargetNode(disk.Id), await VmInspect.NodeOfAsync(vm.Monitor, disk.Id));
                Assert.Contains(pivot.Jobs, j => j.JobId == Job(disk.Id) && j.Device == disk.Id && !j.AlreadyPivoted);
                var concluded = await worker.Sink.WaitForAsync<JobStatusChanged>(e => e.JobId == Job(disk.Id) && e.Status == JobStatus.Concluded);
                Assert.Equal(JobOutcomes.Completed, concluded.Outcome);
            }
        }
        await vm.ShutdownAsync();
        foreach (var disk in vm.Disks)
        {
            var target = Target(dir, disk.Id, formats[disk.Id]);
            var compare = await QemuImg.CompareAsync(disk.ImagePath, target);
            Assert.True(compare.Identical, $"{disk.Id}: {compare.Output}");
            Assert.True(await QemuImg.HasPatternAsync(target, formats[disk.Id], 0x5a, 40 * MiB, 1 * MiB));
            Assert.True(await QemuImg.HasPatternAsync(target, formats[disk.Id], 0x6b, 2 * MiB, 1 * MiB));
        }
    }

    public static TheoryData<string, string> BadThirdDisks => new()
    {
        { "existing", HostErrorClasses.TargetExists },
        { "outside", HostErrorClasses.OutsideStorageRoots },
        { "format", HostErrorClasses.BadFormat },
        { "no-such-disk", HostErrorClasses.DiskNotFound },
    };

    [Theory]
    [MemberData(nameof(BadThirdDisks))]
    public async Task When_one_of_three_disks_cannot_start_nothing_is_left(string problem, string errorClass)
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 3, PrefillBytes = 1 * MiB });
        var dir = TargetsDir(vm);
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.StorageRoots.Add(dir));
        var nodesBefore = await VmInspect.NamedNodesAsync(vm.Monitor);
        var existing = Target(dir, "vdc", "qcow2");
        await File.WriteAllTextAsync(existing, "precious data, not an image");
        var third = problem switch
        {
            "existing" => Spec(dir, "vdc"),
            "outside" => Spec(dir, "vdc") with { TargetPath = Path.Combine(vm.Dir, "elsewhere.qcow2") },
            "format" => Spec(dir, "vdc") with { Format = "vmdk" },
            _ => Spec(dir, "vdc") with { Device = "vdz" },
        };

        var result = await worker.RunAsync(Commands.Mirror(Spec(dir, "vda"), Spec(dir, "vdb", "raw"), third));

        Assert.False(result.Success);
        Assert.Equal(errorClass, result.ErrorClass);
        Assert.Contains("vm1", result.Error, StringComparison.Ordinal);
        Assert.Contains(third.Device, result.Error, StringComparison.Ordinal);
        output.WriteLine(result.Error);
        Assert.Empty(await VmInspect.JobsAsync(vm.Monitor));
        Assert.Equal(nodesBefore, await VmInspect.NamedNodesAsync(vm.Monitor));
        Assert.False(File.Exists(Target(dir, "vda", "qcow2")));
        Assert.False(File.Exists(Target(dir, "vdb", "raw")));
        Assert.Equal("precious data, not an image", await File.ReadAllTextAsync(existing));
        foreach (var disk in vm.Disks) Assert.Equal(disk.NodeName, await VmInspect.NodeOfAsync(vm.Monitor, disk.Id));
        if (problem == "existing")
        {
            // The first two did start before the third failed: the rollback is real, and says what it undid.
            var undone = HostResultJson.Read<MirrorFailure>(result)!;
            Assert.Equal([Job("vda"), Job("vdb")], undone.CancelledJobs.Order());
            Assert.Empty(undone.Problems);
        }
    }

    [Fact]
    public async Task The_same_command_id_twice_starts_one_set_of_jobs_and_answers_the_same()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2 });
        var dir = TargetsDir(vm);
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);
        var command = Commands.Mirror(Spec(dir, "vda"), Spec(dir, "vdb"));

        var first = await worker.RunAsync(command);
        var again = await worker.RunAsync(command);

        Assert.True(first.Success, first.Error);
        Assert.Equal(first, again);
        Assert.Equal(2, worker.Sink.Of<CommandResult>().Count(r => r.CommandId == command.CommandId));
        Assert.Equal([Job("vda"), Job("vdb")], (await VmInspect.JobsAsync(vm.Monitor)).Select(j => j.Id).Order());
    }

    [Fact]
    public async Task After_a_worker_restart_the_same_mirror_is_a_success_without_a_second_job_and_the_jobs_are_reported()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, PrefillBytes = 1 * MiB });
        var dir = TargetsDir(vm);
        var specs = new[] { Spec(dir, "vda"), Spec(dir, "vdb", "raw") };
        List<JobStatusChanged> firstReports;
        await using (var first = await WorkerHarness.StartAsync(vm.QmpSocketPath, output))
        {
            await first.RunOkAsync<MirrorDisksResult>(Commands.Mirror(specs));
            await VmInspect.WaitForStatusAsync(first.Sink, JobStatus.Ready, Job("vda"), Job("vdb"));
            firstReports = [.. first.Sink.Of<JobStatusChanged>().Where(e => e.Status == JobStatus.Ready)];
        }

        await using var second = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);
        var snapshot = second.Sink.Of<VmJobsSnapshot>().Single();
        Assert.Equal([Job("vda"), Job("vdb")], snapshot.Jobs.Select(j => j.JobId).Order());
        Assert.All(snapshot.Jobs, j => Assert.Equal(JobStatus.Ready, j.Status));
        Assert.Contains(snapshot.Devices, d => d.Device == "vda" && d.NodeName == "src-vda");
        // Reported again with the same event ids: an engine that had them drops the repeats.
        var again = await second.Sink.WaitForAsync<JobStatusChanged>(e => e.JobId == Job("vda") && e.Status == JobStatus.Ready);
        Assert.Contains(firstReports, e => e.EventId == again.EventId);

        var repeated = await second.RunOkAsync<MirrorDisksResult>(Commands.Mirror(specs)); // a new command id: the cache is gone anyway
        Assert.All(repeated.Disks, d => Assert.True(d.Existing && d.Status == JobStatus.Ready, d.ToString()));
        Assert.Equal(["src-vda", "src-vdb"], repeated.Disks.Select(d => d.SourceNode));
        Assert.Equal(2, (await VmInspect.JobsAsync(vm.Monitor)).Count);

        // The restarted worker finishes the job the first one started.
        await second.RunOkAsync<PivotJobsResult>(Commands.Pivot(Job("vda"), Job("vdb")));
        Assert.Equal(TargetNode("vda"), await VmInspect.NodeOfAsync(vm.Monitor, "vda"));
        var dismissed = await second.RunOkAsync<DismissJobsResult>(Commands.Dismiss(Job("vda"), Job("vdb")) with { Nodes = ["src-vda", "src-vdb"] });
        Assert.Equal(["src-vda", "src-vdb"], dismissed.RemovedNodes.Order());
        Assert.Equal([TargetNode("vda"), TargetNode("vdb")], await VmInspect.NamedNodesAsync(vm.Monitor));
    }
}
