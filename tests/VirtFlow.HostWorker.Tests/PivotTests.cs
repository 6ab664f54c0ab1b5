using VirtFlow.Contracts;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;
using static VirtFlow.HostWorker.Tests.Disks;

namespace VirtFlow.HostWorker.Tests;

public sealed class PivotTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_pivot_that_fails_before_pending_cancels_every_job_and_the_VM_stays_on_its_sources()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 3, PrefillBytes = 1 * MiB });
        var dir = TargetsDir(vm);
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);
        var jobs = vm.Disks.Select(d => Job(d.Id)).ToArray();
        await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror([.. vm.Disks.Select(d => Spec(dir, d.Id))]));
        await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, jobs);
        // A paused READY job (standby) refuses job-complete.
        await vm.Monitor.ExecuteAsync("job-pause", new() { ["id"] = Job("vdc") });
        Assert.Equal(JobStatus.Standby, await vm.Monitor.WaitForJobStatusAsync(Job("vdc"), [JobStatus.Standby], Timeouts.Slow));

        var result = await worker.RunAsync(Commands.Pivot(jobs));

        Assert.False(result.Success);
        Assert.Equal(HostErrorClasses.JobNotReady, result.ErrorClass);
        Assert.Contains("m-vdc (disk vdc) is standby", result.Error, StringComparison.Ordinal);
        Assert.Contains("the VM stays on its sources", result.Error, StringComparison.Ordinal);
        output.WriteLine(result.Error);
        foreach (var disk in vm.Disks) Assert.Equal(disk.NodeName, await VmInspect.NodeOfAsync(vm.Monitor, disk.Id));
        Assert.All(await VmInspect.JobsAsync(vm.Monitor), j => Assert.Equal(JobStatus.Concluded, j.Status));
        var states = HostResultJson.Read<JobsResult>(result)!;
        Assert.All(states.Jobs, j => Assert.Equal(JobOutcomes.Cancelled, j.Outcome));

        await worker.RunOkAsync<DismissJobsResult>(Commands.Dismiss(jobs));
        Assert.Empty(await VmInspect.JobsAsync(vm.Monitor));
        Assert.Equal(["src-vda", "src-vdb", "src-vdc"], await VmInspect.NamedNodesAsync(vm.Monitor));
    }

    [Fact]
    public async Task Pivot_complete_finalize_and_cancel_repeated_after_the_switch_succeed_and_report_what_they_found()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2 });
        var dir = TargetsDir(vm);
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);
        string[] jobs = [Job("vda"), Job("vdb")];
        await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror(Spec(dir, "vda"), Spec(dir, "vdb")));
        await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, jobs);

        // Step by step this time: complete (pending, nothing switched), then finalize.
        var completed = await worker.RunOkAsync<JobsResult>(Commands.Complete(jobs));
        Assert.All(completed.Jobs, j => Assert.Equal((JobStatus.Pending, true), (j.Status, j.Acted)));
        Assert.Equal("src-vda", await VmInspect.NodeOfAsync(vm.Monitor, "vda"));
        var finalized = await worker.RunOkAsync<JobsResult>(Commands.Finalize(jobs));
        Assert.All(finalized.Jobs, j => Assert.Equal((JobStatus.Concluded, JobOutcomes.Completed, true), (j.Status, j.Outcome, j.Acted)));

        var pivot = await worker.RunOkAsync<PivotJobsResult>(Commands.Pivot(jobs));
        Assert.All(pivot.Jobs, j => Assert.True(j.AlreadyPivoted && j.Device is not null, j.ToString()));
        Assert.All((await worker.RunOkAsync<JobsResult>(Commands.Complete(jobs))).Jobs, j => Assert.False(j.Acted));
        Assert.All((await worker.RunOkAsync<JobsResult>(Commands.Finalize(jobs))).Jobs, j => Assert.False(j.Acted));
        var cancel = await worker.RunOkAsync<JobsResult>(Commands.Cancel(jobs));
        Assert.All(cancel.Jobs, j => Assert.Equal((JobOutcomes.Completed, false), (j.Outcome, j.Acted)));
        Assert.Equal(TargetNode("vda"), await VmInspect.NodeOfAsync(vm.Monitor, "vda"));

        var dismissed = await worker.RunOkAsync<DismissJobsResult>(Commands.Dismiss(jobs));
        Assert.Equal(["src-vda", "src-vdb"], dismissed.RemovedNodes.Order());
        Assert.Equal([TargetNode("vda"), TargetNode("vdb")], dismissed.KeptNodes.Select(k => k.Node).Order());
        Assert.Equal([TargetNode("vda"), TargetNode("vdb")], await VmInspect.NamedNodesAsync(vm.Monitor));
        // Even dismissed, a repeated pivot finds the devices on their targets.
        Assert.All((await worker.RunOkAsync<PivotJobsResult>(Commands.Pivot(jobs))).Jobs, j => Assert.True(j.AlreadyPivoted));
    }

    [Fact]
    public async Task Pivot_window_of_1_4_and_8_disks_on_a_stopped_VM()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 13, DiskSize = 8 * MiB, PrefillBytes = 1 * MiB });
        var dir = TargetsDir(vm);
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);
        var all = vm.Disks.Select(d => d.Id).ToArray();
        await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror([.. all.Select(d => Spec(dir, d))]));
        await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, [.. all.Select(Job)]);
        var lines = new List<string>();
        foreach (var group in new[] { all[..1], all[1..5], all[5..13] })
        {
            var pivot = await worker.RunOkAsync<PivotJobsResult>(Commands.Pivot([.. group.Select(Job)]));
            lines.Add($"{group.Length} disk(s): complete->all pending {pivot.CompleteToPendingMs:0.0} ms, finalize->all concluded {pivot.FinalizeMs:0.0} ms, window {pivot.TotalMs:0.0} ms");
            foreach (var disk in group) Assert.Equal(TargetNode(disk), await VmInspect.NodeOfAsync(vm.Monitor, disk));
        }
        foreach (var line in lines) output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("VIRTFLOW_PIVOT_REPORT") is { Length: > 0 } report)
            await File.AppendAllLinesAsync(report, lines);
    }
}
