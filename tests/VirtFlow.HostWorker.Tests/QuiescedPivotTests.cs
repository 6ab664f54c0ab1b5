using VirtFlow.Contracts;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;
using static VirtFlow.HostWorker.Tests.Disks;

namespace VirtFlow.HostWorker.Tests;

/// <summary>PivotJobs with a quiesce: the worker holds the guest for the switch only, and releases it on every path.</summary>
public sealed class QuiescedPivotTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_paused_pivot_switches_every_disk_between_one_STOP_and_its_RESUME_and_the_VM_runs_on_its_targets()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, PrefillBytes = 1 * MiB, StartRunning = true });
        var dir = TargetsDir(vm);
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);
        string[] jobs = [Job("vda"), Job("vdb")];
        await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror(Spec(dir, "vda"), Spec(dir, "vdb")));
        await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, jobs);
        using var events = vm.Monitor.Subscribe(e => e.Name is "STOP" or "RESUME" || (e.Name == "JOB_STATUS_CHANGE" && jobs.Contains(e.GetString("id"))));

        var pivot = await worker.RunOkAsync<PivotJobsResult>(Commands.QuiescedPivot(QuiesceModes.Pause, jobs));

        var held = pivot.Quiesce!;
        output.WriteLine($"switch {pivot.TotalMs:0.0} ms, guest held {held.QuiescedMs:0.0} ms ({held.Method})");
        Assert.Equal((QuiesceModes.Pause, false, true, true, null), (held.Method, held.WasPaused, held.Resumed, held.Released, held.ReleaseError));
        Assert.True(held.QuiescedMs >= pivot.TotalMs && held.ReleasedAt >= held.QuiescedAt, $"{held}");
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
        foreach (var disk in new[] { "vda", "vdb" }) Assert.Equal(TargetNode(disk), await VmInspect.NodeOfAsync(vm.Monitor, disk));
        Assert.Null((await worker.RunOkAsync<QueryVmResult>(Commands.Query())).LeaseId);

        // QEMU's own order: the stop, every job's way to pending and concluded, then the resume.
        var seen = new List<QmpEvent>();
        while (seen.LastOrDefault()?.Name != "RESUME") seen.Add(await events.WaitAsync(null, Timeouts.Slow));
        output.WriteLine(string.Join(", ", seen.Select(e => e.Name == "JOB_STATUS_CHANGE" ? $"{e.GetString("id")}:{e.GetString("status")}" : e.Name)));
        // (The test's monitor may still deliver the mirrors' way to ready: only job-complete's transitions count.)
        Assert.DoesNotContain(seen.TakeWhile(e => e.Name != "STOP"), e => e.GetString("status") is JobStatus.Waiting or JobStatus.Pending or JobStatus.Concluded);
        seen = [.. seen.SkipWhile(e => e.Name != "STOP")];
        Assert.Single(seen, e => e.Name == "STOP");
        var transitions = seen.Where(e => e.Name == "JOB_STATUS_CHANGE").ToList();
        foreach (var job in jobs)
        {
            Assert.Contains(transitions, e => e.GetString("id") == job && e.GetString("status") == JobStatus.Pending);
            Assert.Contains(transitions, e => e.GetString("id") == job && e.GetString("status") == JobStatus.Concluded);
        }
        Assert.True(seen[^1].Timestamp >= transitions.Max(e => e.Timestamp) && seen[0].Timestamp <= transitions.Min(e => e.Timestamp));
    }

    [Fact]
    public async Task A_pivot_with_dismiss_releases_the_guest_then_dismisses_the_jobs_and_removes_the_old_sources_and_a_new_worker_repeating_it_finds_it_done()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, PrefillBytes = 1 * MiB, StartRunning = true });
        var dir = TargetsDir(vm);
        string[] jobs = [Job("vda"), Job("vdb")];
        var command = Commands.QuiescedPivot(QuiesceModes.Pause, jobs) with { Dismiss = true, Nodes = ["src-vda", "src-vdb"] };
        await using (var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output))
        {
            await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror(Spec(dir, "vda"), Spec(dir, "vdb")));
            await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, jobs);

            var pivot = await worker.RunOkAsync<PivotJobsResult>(command);

            Assert.Equal((true, true, null), (pivot.Quiesce!.Resumed, pivot.Quiesce.Released, pivot.DismissError));
            Assert.Equal(["src-vda", "src-vdb"], pivot.Dismissed!.RemovedNodes.Order());
            Assert.All(pivot.Dismissed.Jobs, j => Assert.Equal((JobStatus.Concluded, JobOutcomes.Completed, true), (j.Status, j.Outcome, j.Acted)));
        }
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
        Assert.Empty(await VmInspect.JobsAsync(vm.Monitor));
        Assert.Equal([TargetNode("vda"), TargetNode("vdb")], await VmInspect.NamedNodesAsync(vm.Monitor));

        // The engine died before it stored the answer; the worker restarted too (no cache): the same command again finds
        // every disk on its target and nothing left to dismiss, and neither stops nor resumes the VM.
        await using var next = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);
        using var events = vm.Monitor.Subscribe(e => e.Name is "STOP" or "RESUME");
        var again = await next.RunOkAsync<PivotJobsResult>(command);
        Assert.All(again.Jobs, j => Assert.True(j.AlreadyPivoted && j.Device is not null, j.ToString()));
        Assert.Equal((0, null), (again.Dismissed!.RemovedNodes.Count, again.DismissError));
        Assert.All(again.Dismissed.Jobs, j => Assert.Equal((JobStatus.Null, false), (j.Status, j.Acted)));
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
        foreach (var disk in new[] { "vda", "vdb" }) Assert.Equal(TargetNode(disk), await VmInspect.NodeOfAsync(vm.Monitor, disk));
    }

    [Fact]
    public async Task A_VM_paused_before_the_pivot_is_neither_stopped_nor_resumed_and_stays_paused()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, PrefillBytes = 1 * MiB, StartRunning = true });
        var dir = TargetsDir(vm);
        await vm.Monitor.StopAsync();
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);
        await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror(Spec(dir, "vda")));
        await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, Job("vda"));
        using var events = vm.Monitor.Subscribe(e => e.Name is "STOP" or "RESUME");

        var pivot = await worker.RunOkAsync<PivotJobsResult>(Commands.QuiescedPivot(QuiesceModes.Auto, Job("vda"))); // no agent: pause

        Assert.Equal((QuiesceModes.Pause, true, false, true), (pivot.Quiesce!.Method, pivot.Quiesce.WasPaused, pivot.Quiesce.Resumed, pivot.Quiesce.Released));
        Assert.Equal("paused", (await vm.Monitor.QueryStatusAsync()).Status);
        Assert.Equal(TargetNode("vda"), await VmInspect.NodeOfAsync(vm.Monitor, "vda"));
        Assert.False(events.Reader.TryRead(out var stray), $"no stop nor resume expected, got {stray?.Name}");
    }

    [Fact]
    public async Task A_pivot_that_cannot_start_never_pauses_the_VM_cancels_every_job_and_leaves_it_running_on_its_sources()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 3, PrefillBytes = 1 * MiB, StartRunning = true });
        var dir = TargetsDir(vm);
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);
        var jobs = vm.Disks.Select(d => Job(d.Id)).ToArray();
        await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror([.. vm.Disks.Select(d => Spec(dir, d.Id))]));
        await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, jobs);
        await vm.Monitor.ExecuteAsync("job-cancel", new() { ["id"] = Job("vdc") }); // someone else cancelled one
        await vm.Monitor.WaitForJobStatusAsync(Job("vdc"), [JobStatus.Concluded], Timeouts.Slow);
        using var events = vm.Monitor.Subscribe(e => e.Name is "STOP" or "RESUME");

        var result = await worker.RunAsync(Commands.QuiescedPivot(QuiesceModes.Pause, jobs));

        output.WriteLine(result.Error);
        Assert.False(result.Success);
        Assert.Contains("the VM stays on its sources", result.Error, StringComparison.Ordinal);
        Assert.False(events.Reader.TryRead(out var stray), $"the VM was never to be stopped, got {stray?.Name}");
        await AssertRunningOnSourcesAsync(vm, worker);
    }

    [Fact]
    public async Task A_quiesce_that_fails_fails_the_pivot_cancels_every_job_and_leaves_the_VM_running_on_its_sources()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, PrefillBytes = 1 * MiB, StartRunning = true });
        var dir = TargetsDir(vm);
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output); // no guest agent
        string[] jobs = [Job("vda"), Job("vdb")];
        await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror(Spec(dir, "vda"), Spec(dir, "vdb")));
        await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, jobs);

        var result = await worker.RunAsync(Commands.QuiescedPivot(QuiesceModes.FsFreeze, jobs));

        output.WriteLine(result.Error);
        Assert.Equal(HostErrorClasses.AgentUnavailable, result.ErrorClass);
        Assert.Contains("quiesce (fsfreeze)", result.Error, StringComparison.Ordinal);
        Assert.Contains("every job was cancelled; the VM stays on its sources", result.Error, StringComparison.Ordinal);
        Assert.All(HostResultJson.Read<JobsResult>(result)!.Jobs, j => Assert.Equal(JobOutcomes.Cancelled, j.Outcome));
        await AssertRunningOnSourcesAsync(vm, worker);
    }

    private static async Task AssertRunningOnSourcesAsync(QemuVm vm, WorkerHarness worker)
    {
        foreach (var disk in vm.Disks) Assert.Equal(disk.NodeName, await VmInspect.NodeOfAsync(vm.Monitor, disk.Id));
        Assert.All(await VmInspect.JobsAsync(vm.Monitor), j => Assert.Equal(JobStatus.Concluded, j.Status));
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
        Assert.Null((await worker.RunOkAsync<QueryVmResult>(Commands.Query())).LeaseId);
    }
}
