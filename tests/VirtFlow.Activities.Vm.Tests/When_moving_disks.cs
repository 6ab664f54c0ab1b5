using VirtFlow.Activities.Vm.Tests.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Activities.Vm.Tests;

/// <summary>workflows/copy-disks-pivot.yaml on the real engine with a scripted host.</summary>
public sealed class When_moving_disks
{
    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Every_disk_is_mirrored_waited_for_and_switched_inside_one_quiesce_held_by_the_pivot_command(string store)
    {
        await using var vm = await VmHost.CreateAsync(store);
        var instance = await vm.StartAsync(vm.Workflow("copy-disks-pivot.yaml"), VmHost.TwoDisks());

        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        // One command holds the guest, switches and releases it, then dismisses the jobs: no engine round trip while the
        // guest is held, and none for the dismiss.
        Assert.Equal(["MirrorDisks", "PivotJobs"], vm.Host.Effects);
        Assert.Single(vm.Host.All<QueryVm>()); // the wait asked the host once (docs/rules.md#r3-reconcile)
        Assert.Equal(["vda", "vdb"], vm.Host.Pivoted);
        Assert.False(vm.Host.Quiesced);

        var mirror = Assert.Single(vm.Host.All<MirrorDisks>());
        Assert.Equal(["vda", "vdb"], mirror.Disks.Select(d => d.Device));
        Assert.Equal(["qcow2", "raw"], mirror.Disks.Select(d => d.Format));
        var pivot = Assert.Single(vm.Host.All<PivotJobs>());
        Assert.Equal(mirror.Disks.Select(d => d.JobId), pivot.JobIds);
        Assert.Equal((QuiesceModes.Auto, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5)), (pivot.Quiesce, pivot.Lease, pivot.AgentTimeout));

        var output = instance.Output!;
        Assert.Equal("/new/vdb.raw", output["targets"]![1]!["target"]!.GetValue<string>());
        Assert.Equal("tgt-" + mirror.Disks[0].JobId, output["jobs"]![0]!["targetNode"]!.GetValue<string>());
        Assert.Equal("fsfreeze", output["quiesceMethod"]!.GetValue<string>());
        Assert.Equal(5.5, output["switchMs"]!.GetValue<double>());
        Assert.Equal(6, Json.Long(output["quiescedMs"]));
        Assert.True(pivot.Dismiss);
        Assert.Equal(["src-vda", "src-vdb"], pivot.Nodes); // the old sources, named for a worker that may have restarted
        Assert.Empty(vm.Host.Jobs); // dismissed
        Assert.DoesNotContain(await vm.JournalAsync(instance.Id), j => j.Kind == "DismissProblem");
    }

    [Fact]
    public async Task A_worker_that_does_not_dismiss_with_the_pivot_gets_a_DismissJobs_naming_the_old_sources()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.IgnoresPivotDismiss = true;
        var instance = await vm.StartAsync(vm.Workflow("copy-disks-pivot.yaml"), VmHost.TwoDisks());

        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        Assert.Equal(["MirrorDisks", "PivotJobs", "DismissJobs"], vm.Host.Effects);
        var dismiss = Assert.Single(vm.Host.All<DismissJobs>());
        Assert.Equal(["src-vda", "src-vdb"], dismiss.Nodes);
        Assert.Equal(Assert.Single(vm.Host.All<PivotJobs>()).JobIds, dismiss.JobIds);
        Assert.Empty(vm.Host.Jobs);
    }

    [Fact]
    public async Task A_refused_mirror_faults_naming_the_disk_and_nothing_is_left_behind()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Override = c => c is MirrorDisks m
            ? Answer.Fail("mirror of vdb on VM 'web1': target /new/vdb.raw exists and is not empty", HostErrorClasses.TargetExists,
                new MirrorFailure("vdb", [m.Disks[0].JobId], [$"tgt-{m.Disks[0].JobId}"], ["/new/vda.qcow2"], []))
            : null;

        var instance = await vm.StartAsync(vm.Workflow("copy-disks-pivot.yaml"), VmHost.TwoDisks());

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'mirror': mirror of vdb on VM 'web1': target /new/vdb.raw exists and is not empty", instance.Fault);
        // The worker undid the rest itself and said so; the rollback asks the host and finds no job of this
        // instance left: no cancel needed. Nothing was quiesced, so nothing is unquiesced.
        Assert.Equal(["MirrorDisks"], vm.Host.Effects);
        Assert.Equal("Completed", VmHost.Status(instance, "rollback"));
        var journal = await vm.JournalAsync(instance.Id);
        Assert.Contains(journal, j => j.Kind == "MirrorRefused" && j.Message!.Contains("files deleted: /new/vda.qcow2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_mirror_the_worker_could_not_fully_undo_is_cancelled_and_dismissed()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Override = c =>
        {
            if (c is not MirrorDisks m) return null;
            vm.Host.Jobs[m.Disks[0].JobId] = new FakeJob(m.Disks[0].JobId, "vda", "/new/vda.qcow2", "qcow2", "background", false) { Status = "concluded" };
            return Answer.Fail("mirror of vdb on VM 'web1': No space left on device", "GenericError",
                new MirrorFailure("vdb", [], [], [], [$"job {m.Disks[0].JobId} of vda did not end in time"]));
        };

        var instance = await vm.StartAsync(vm.Workflow("copy-disks-pivot.yaml"), VmHost.TwoDisks());

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'mirror': mirror of vdb on VM 'web1': No space left on device", instance.Fault);
        Assert.Equal(["MirrorDisks", "CancelJobs", "DismissJobs"], vm.Host.Effects);
        var mirrored = Assert.Single(vm.Host.All<MirrorDisks>()).Disks.Select(d => d.JobId);
        var cancel = Assert.Single(vm.Host.All<CancelJobs>());
        Assert.Equal(mirrored, cancel.JobIds);
        Assert.True(cancel.Force);
        Assert.Empty(vm.Host.Jobs);
    }

    [Fact]
    public async Task A_failed_pivot_cancels_every_mirror_and_the_VM_stays_on_its_sources()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Override = c => c is PivotJobs p
            ? Answer.Fail($"VM web1: pivot failed: job {p.JobIds[1]} (disk vdb) concluded before pending: Input/output error; every job was cancelled; the VM stays on its sources",
                HostErrorClasses.JobFailed,
                new JobsResult([new JobState(p.JobIds[0], "concluded", JobOutcomes.Cancelled, null, true), new JobState(p.JobIds[1], "concluded", JobOutcomes.Failed, "Input/output error", true)]))
            : null;

        var instance = await vm.StartAsync(vm.Workflow("copy-disks-pivot.yaml"), VmHost.TwoDisks());

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        var vdb = vm.Host.All<MirrorDisks>().Single().Disks[1].JobId; // dismissed by the rollback: gone from the host
        Assert.Equal($"step 'pivot': VM web1: pivot failed: job {vdb} (disk vdb) concluded before pending: Input/output error; every job was cancelled; the VM stays on its sources", instance.Fault);
        Assert.Equal(["MirrorDisks", "PivotJobs", "CancelJobs", "DismissJobs"], vm.Host.Effects);
        Assert.Empty(vm.Host.Pivoted);
        Assert.False(vm.Host.Quiesced);
        Assert.Empty(vm.Host.Jobs);
        Assert.Equal(Assert.Single(vm.Host.All<MirrorDisks>()).Disks.Select(d => d.JobId), Assert.Single(vm.Host.All<CancelJobs>()).JobIds);
    }

    [Fact]
    public async Task A_pivot_the_host_could_only_half_finish_says_which_disks_moved()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Override = c => c is PivotJobs p
            ? Answer.Fail($"VM web1: pivot incomplete after finalize: job {p.JobIds[1]} (disk vdb): no device uses tgt-{p.JobIds[1]}; moved: {p.JobIds[0]}",
                HostErrorClasses.PivotIncomplete,
                new PivotJobsResult([new PivotedJob(p.JobIds[0], "vda", $"tgt-{p.JobIds[0]}", false), new PivotedJob(p.JobIds[1], null, $"tgt-{p.JobIds[1]}", false)], 2, 1, 3))
            : null;

        var instance = await vm.StartAsync(vm.Workflow("copy-disks-pivot.yaml"), VmHost.TwoDisks());

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.EndsWith("; switched: vda; still on its source: vdb", instance.Fault);
        Assert.DoesNotContain("UnquiesceVm", vm.Host.Types); // the worker released the guest before it answered
        Assert.False(vm.Host.Quiesced);
    }

    [Fact]
    public async Task A_pivot_with_no_answer_faults_and_rolls_back_and_the_engine_sends_no_unquiesce_of_its_own()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Silent.Add(nameof(PivotJobs));

        var instance = await vm.StartAsync(vm.Workflow("copy-disks-pivot.yaml"), VmHost.TwoDisks());
        Assert.Equal(InstanceStatus.Suspended, instance.Status);

        await vm.AdvanceAsync(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(5)); // commandTimeout + pendingTimeout + finalizeTimeout + agentTimeout
        instance = await vm.InstanceAsync(instance.Id);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.StartsWith("step 'pivot': pivot of vda, vdb on VM 'web1': no answer from host 'local' within 3m", instance.Fault);
        Assert.EndsWith("whether the disks switched is unknown until the host answers (vm.query tells)", instance.Fault);
        // The worker releases its own quiesce on every path (its lease if it died): nothing for the engine to undo.
        Assert.Equal(["MirrorDisks", "PivotJobs", "CancelJobs", "DismissJobs"], vm.Host.Effects);
    }

    [Theory]
    [InlineData(HostErrorClasses.AgentUnavailable, "quiesce (fsfreeze): guest agent of VM 'web1' did not answer within 5s")]
    [InlineData(HostErrorClasses.AlreadyQuiesced, "quiesce (fsfreeze): VM web1 is already quiesced (pause) under lease lease-other")]
    public async Task A_pivot_whose_quiesce_failed_faults_with_the_hosts_words_and_the_mirrors_are_rolled_back(string errorClass, string why)
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Override = c => c is PivotJobs p
            ? Answer.Fail($"VM web1: pivot failed: {why}; every job was cancelled; the VM stays on its sources", errorClass,
                new JobsResult([.. p.JobIds.Select(id => new JobState(id, "concluded", JobOutcomes.Cancelled, null, true))]))
            : null;

        var instance = await vm.StartAsync(vm.Workflow("copy-disks-pivot.yaml"), VmHost.TwoDisks(quiesce: "fsfreeze"));

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal($"step 'pivot': pivot of vda, vdb on VM 'web1' failed: VM web1: pivot failed: {why}; every job was cancelled; the VM stays on its sources",
            instance.Fault);
        Assert.Equal(["MirrorDisks", "PivotJobs", "CancelJobs", "DismissJobs"], vm.Host.Effects);
        Assert.Equal("fsfreeze", Assert.Single(vm.Host.All<PivotJobs>()).Quiesce);
        Assert.Empty(vm.Host.Pivoted);
        Assert.Empty(vm.Host.Jobs);
    }

    [Fact]
    public async Task Mirrors_not_ready_in_time_fault_with_the_disk_and_its_progress_and_are_cancelled()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        var instance = await vm.StartAsync(vm.Workflow("copy-disks-pivot.yaml"), VmHost.TwoDisks(readyTimeout: "50s"));
        await vm.Host.ReadyAsync(vm.Host.JobOf("vda"));
        await vm.Host.ProgressAsync(vm.Host.JobOf("vdb"), 340, 1000);

        await vm.AdvanceAsync(TimeSpan.FromSeconds(50));
        instance = await vm.InstanceAsync(instance.Id);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'wait': mirrors not ready after 50s: vdb (34%)", instance.Fault);
        Assert.Equal(["MirrorDisks", "CancelJobs", "DismissJobs"], vm.Host.Effects);
        Assert.Equal(2, Assert.Single(vm.Host.All<CancelJobs>()).JobIds.Count);
        Assert.Empty(vm.Host.Jobs);
    }

    [Fact]
    public async Task A_cancelled_instance_rolls_back_its_mirrors()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        var instance = await vm.StartAsync(vm.Workflow("copy-disks-pivot.yaml"), VmHost.TwoDisks());
        Assert.Equal(InstanceStatus.Suspended, instance.Status);

        Assert.True(await vm.Engine.CancelAsync(instance.Id, "operator changed their mind"));
        instance = await vm.InstanceAsync(instance.Id);

        Assert.Equal(InstanceStatus.Cancelled, instance.Status);
        Assert.Equal(["MirrorDisks", "CancelJobs", "DismissJobs"], vm.Host.Effects);
        Assert.Empty(vm.Host.Jobs);
    }
}
