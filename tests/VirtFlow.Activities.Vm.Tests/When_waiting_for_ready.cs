using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Tests.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Activities.Vm.Tests;

/// <summary>vm.waitReady on the real engine: the inbox, the query on start, timeouts and the stall detector.</summary>
public sealed class When_waiting_for_ready
{
    private static string Workflow(string waitWith = "") => $$"""
        name: wait
        inputs:
          vm: { type: string, default: web1 }
        steps:
          - id: mirror
            type: vm.mirror
            with:
              vm: ${ inputs.vm }
              disks:
                - { device: vda, target: /new/vda.qcow2 }
                - { device: vdb, target: /new/vdb.qcow2 }
          - id: wait
            type: vm.waitReady
            with:
              vm: ${ inputs.vm }
              jobs: ${ steps.mirror.outputs.jobs }
        {{waitWith}}
        outputs:
          jobs: ${ steps.wait.outputs.jobs }
          writeBlocking: ${ steps.wait.outputs.writeBlocking }
        """;

    private static string With(string lines) => string.Join("\n", lines.Split('\n').Select(l => "      " + l));

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task READY_published_before_the_wait_began_is_found_in_the_inbox(string store)
    {
        await using var vm = await VmHost.CreateAsync(store);
        vm.Host.Ready = ReadyWhen.BeforeReply;

        var instance = await vm.StartAsync(vm.Define(Workflow(With("query: false"))), new JsonObject());

        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        Assert.Equal(["MirrorDisks"], vm.Host.Types);
        Assert.Equal(2, instance.Output!["jobs"]!.AsArray().Count);
    }

    [Fact]
    public async Task READY_published_while_waiting_resumes_the_wait_once_all_are_ready()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        var progress = new List<JsonObject>();
        vm.Engine.EventRaised += e => { if (e is ProgressReported p) lock (progress) progress.Add(p.Data); };
        var instance = await vm.StartAsync(vm.Define(Workflow()), new JsonObject());
        Assert.Equal(InstanceStatus.Suspended, instance.Status);

        await vm.Host.ProgressAsync(vm.Host.JobOf("vda"), 512, 1024);
        await vm.Host.ReadyAsync(vm.Host.JobOf("vda"));
        Assert.Equal(InstanceStatus.Suspended, (await vm.InstanceAsync(instance.Id)).Status);
        await vm.Host.ReadyAsync(vm.Host.JobOf("vdb"));

        instance = await vm.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Completed, instance.Status);
        lock (progress)
        {
            Assert.Contains(progress, p => p["device"]!.GetValue<string>() == "vda" && Json.Long(p["offset"]) == 512 && Json.Long(p["length"]) == 1024);
        }
        var journal = await vm.JournalAsync(instance.Id);
        Assert.Contains(journal, j => j.Kind == "Progress" && j.StepPath == "wait");
        Assert.Contains(journal, j => j.Kind == "MirrorReady" && j.Message!.Contains("mirror of vdb", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Jobs_the_host_reports_READY_on_start_count_as_ready()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        vm.Host.Override = c =>
        {
            if (c is not QueryVm) return null;
            foreach (var job in vm.Host.Jobs.Values) job.Status = "ready"; // READY happened, its events were lost
            return null;
        };

        var instance = await vm.StartAsync(vm.Define(Workflow()), new JsonObject());

        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        Assert.Equal(["MirrorDisks"], vm.Host.Effects);
        Assert.Contains(await vm.JournalAsync(instance.Id), j => j.Kind == "MirrorsAlreadyReady");
    }

    [Fact]
    public async Task A_job_the_host_no_longer_has_faults_instead_of_being_assumed_done()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        vm.Host.Override = c =>
        {
            if (c is QueryVm) vm.Host.Jobs.Remove(vm.Host.JobOf("vdb"));
            return null;
        };
        string? vdbJob = null;
        var instance = await vm.StartAsync(vm.Define(Workflow()), new JsonObject());
        vdbJob = Assert.Single(vm.Host.All<MirrorDisks>()).Disks[1].JobId;

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal($"step 'wait': mirror of vdb on VM 'web1' is gone: host 'local' has no job {vdbJob}", instance.Fault);
    }

    [Fact]
    public async Task A_job_that_fails_before_READY_faults_naming_its_disk()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        var instance = await vm.StartAsync(vm.Define(Workflow()), new JsonObject());

        await vm.Host.FailJobAsync(vm.Host.JobOf("vdb"), "No space left on device");

        instance = await vm.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'wait': mirror of vdb on VM 'web1' failed before it was READY: No space left on device", instance.Fault);
    }

    [Fact]
    public async Task The_end_of_the_VM_faults_the_wait()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        var instance = await vm.StartAsync(vm.Define(Workflow()), new JsonObject());

        await vm.Host.PublishAsync(new VmGone { EventId = "local/web1/gone/1", HostId = "local", Vm = "web1", Reason = "QEMU exited (signal 9)" });

        instance = await vm.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'wait': VM 'web1' on host 'local' is gone (QEMU exited (signal 9)): the mirrors of vda, vdb ended with it", instance.Fault);
    }

    [Fact]
    public async Task Duplicated_and_repeated_events_are_harmless()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        var instance = await vm.StartAsync(vm.Define(Workflow()), new JsonObject());
        var vda = vm.Host.JobOf("vda");

        Assert.True(await vm.Host.ReadyAsync(vda, eventId: "ready-vda"));
        Assert.False(await vm.Host.ReadyAsync(vda, eventId: "ready-vda"));   // same id: dropped by the inbox
        Assert.True(await vm.Host.ReadyAsync(vda));                          // same news, new id: changes nothing
        await vm.Host.ProgressAsync(vda, 10, 1024);                           // late progress of a READY job: ignored
        Assert.Equal(InstanceStatus.Suspended, (await vm.InstanceAsync(instance.Id)).Status);

        await vm.Host.ReadyAsync(vm.Host.JobOf("vdb"));
        await vm.Host.ReadyAsync(vm.Host.JobOf("vdb"));                      // after completion: kept, nobody waits

        instance = await vm.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(["MirrorDisks"], vm.Host.Effects);
    }

    [Fact]
    public async Task A_wait_longer_than_its_timeout_faults_naming_the_disks_not_ready()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        var instance = await vm.StartAsync(vm.Define(Workflow(With("timeout: 1h\nstall: { window: 2h }"))), new JsonObject());
        await vm.Host.ReadyAsync(vm.Host.JobOf("vda"));
        await vm.Host.ProgressAsync(vm.Host.JobOf("vdb"), 345, 1000);

        await vm.AdvanceAsync(TimeSpan.FromMinutes(59));
        Assert.Equal(InstanceStatus.Suspended, (await vm.InstanceAsync(instance.Id)).Status);
        await vm.AdvanceAsync(TimeSpan.FromMinutes(1));

        instance = await vm.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'wait': mirrors not ready after 1h: vdb (34%)", instance.Fault);
    }

    [Fact]
    public async Task A_mirror_whose_remaining_bytes_stop_shrinking_is_reported_as_not_converging()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        var instance = await vm.StartAsync(vm.Define(Workflow(With("query: false"))), new JsonObject());
        var vdb = vm.Host.JobOf("vdb");

        await vm.Host.ProgressAsync(vdb, 100, 1000);     // 900 left
        vm.Clock.Advance(TimeSpan.FromSeconds(30));
        await vm.Host.ProgressAsync(vdb, 300, 1300);     // 1000 left: the guest writes faster than the copy
        vm.Clock.Advance(TimeSpan.FromSeconds(29));
        await vm.Host.ProgressAsync(vdb, 500, 1450);     // 950 left, still not below 900
        Assert.Equal(InstanceStatus.Suspended, (await vm.InstanceAsync(instance.Id)).Status);
        vm.Clock.Advance(TimeSpan.FromSeconds(1));
        await vm.Host.ProgressAsync(vdb, 600, 1550);     // 60s without a new low

        instance = await vm.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'wait': mirror of vdb is not converging: 950 bytes remain after 60s (VM 'web1', 38% copied)", instance.Fault);
    }

    [Fact]
    public async Task Without_progress_events_the_stall_detector_asks_the_host()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        var instance = await vm.StartAsync(vm.Define(Workflow(With("stall: { window: 60s, action: fail }"))), new JsonObject());
        var vdb = vm.Host.Jobs[vm.Host.JobOf("vdb")];
        await vm.Host.ReadyAsync(vm.Host.JobOf("vda"));
        vdb.Offset = 100;
        vdb.Length = 1000;

        await vm.AdvanceAsync(TimeSpan.FromSeconds(60));  // window with no news: query → first measurement (900 left)
        Assert.Equal(InstanceStatus.Suspended, (await vm.InstanceAsync(instance.Id)).Status);
        vdb.Offset = 150;
        vdb.Length = 1050;                                // still 900 left
        await vm.AdvanceAsync(TimeSpan.FromSeconds(60));

        instance = await vm.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'wait': mirror of vdb is not converging: 900 bytes remain after 60s (VM 'web1', 14% copied)", instance.Fault);
        Assert.Equal(["MirrorDisks"], vm.Host.Effects);
    }

    [Fact]
    public async Task A_mirror_that_keeps_shrinking_is_not_a_stall()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        var instance = await vm.StartAsync(vm.Define(Workflow(With("query: false"))), new JsonObject());
        var vdb = vm.Host.JobOf("vdb");
        await vm.Host.ReadyAsync(vm.Host.JobOf("vda"));

        for (var i = 1; i <= 10; i++)
        {
            await vm.Host.ProgressAsync(vdb, i * 90, 1000);
            await vm.AdvanceAsync(TimeSpan.FromSeconds(50));
        }

        instance = await vm.InstanceAsync(instance.Id);
        Assert.True(instance.Status == InstanceStatus.Suspended, instance.Fault);
        Assert.DoesNotContain("QueryVm", vm.Host.Types); // progress events came within every window: no need to ask
    }

    [Fact]
    public async Task With_writeBlocking_a_stalled_mirror_is_restarted_in_write_blocking_mode_under_a_new_job_id()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        var instance = await vm.StartAsync(vm.Define(Workflow(With("query: false\nstall: { window: 60s, action: writeBlocking }"))), new JsonObject());
        var vdb = vm.Host.JobOf("vdb");
        await vm.Host.ReadyAsync(vm.Host.JobOf("vda"));
        await vm.Host.ProgressAsync(vdb, 100, 1000);
        vm.Clock.Advance(TimeSpan.FromSeconds(61));
        await vm.Host.ProgressAsync(vdb, 200, 1200);

        Assert.Equal(["MirrorDisks", "CancelJobs", "DismissJobs", "MirrorDisks"], vm.Host.Types);
        Assert.Equal([vdb], vm.Host.All<CancelJobs>().Single().JobIds);
        Assert.Equal([vdb], vm.Host.All<DismissJobs>().Single().JobIds);
        var again = Assert.Single(vm.Host.All<MirrorDisks>().Skip(1).Single().Disks);
        Assert.Equal(new DiskMirrorSpec("vdb", "/new/vdb.qcow2", "qcow2", vdb + "-wb", Reuse: true, Speed: 0, CopyMode: "write-blocking"), again);
        Assert.Equal(InstanceStatus.Suspended, (await vm.InstanceAsync(instance.Id)).Status);

        await vm.Host.ProgressAsync(vdb + "-wb", 500, 1000);
        await vm.Host.ReadyAsync(vdb + "-wb");

        instance = await vm.InstanceAsync(instance.Id);
        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        var jobs = instance.Output!["jobs"]!.AsArray();
        Assert.Equal(vdb + "-wb", jobs[1]!["jobId"]!.GetValue<string>());
        Assert.Equal("write-blocking", jobs[1]!["copyMode"]!.GetValue<string>());
        Assert.Equal("background", jobs[0]!["copyMode"]!.GetValue<string>());
        Assert.Equal(["vdb"], instance.Output!["writeBlocking"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains(await vm.JournalAsync(instance.Id), j => j.Kind == "MirrorRestarted");
    }

    [Fact]
    public async Task A_rollback_finds_the_write_blocking_replacement_it_was_not_told_about()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Ready = ReadyWhen.Never;
        var instance = await vm.StartAsync(vm.Define("""
            name: wait-then-roll-back
            steps:
              - id: guard
                type: try
                steps:
                  - id: mirror
                    type: vm.mirror
                    with: { vm: web1, disks: [ { device: vda, target: /new/vda.qcow2 }, { device: vdb, target: /new/vdb.qcow2 } ] }
                  - id: wait
                    type: vm.waitReady
                    with: { vm: web1, jobs: "${ steps.mirror.outputs.jobs }", timeout: 10m, query: false, stall: { window: 60s, action: writeBlocking } }
                finally:
                  - id: rollback
                    type: vm.cancel
                    with: { vm: web1, jobs: "${ steps.mirror.outputs.jobs }", includeInstanceJobs: true, force: true }
            """), new JsonObject());
        var (vda, vdb) = (vm.Host.JobOf("vda"), vm.Host.JobOf("vdb"));
        await vm.Host.ProgressAsync(vdb, 100, 1000);
        await vm.Host.ProgressAsync(vda, 100, 1000);
        vm.Clock.Advance(TimeSpan.FromSeconds(30));
        await vm.Host.ProgressAsync(vda, 500, 1000);
        vm.Clock.Advance(TimeSpan.FromSeconds(31));
        await vm.Host.ProgressAsync(vdb, 150, 1050);          // vdb: no new low for 61s → restarted as vdb-wb
        Assert.Contains(vdb + "-wb", vm.Host.Jobs.Keys);

        await vm.AdvanceAsync(TimeSpan.FromMinutes(10));

        instance = await vm.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.StartsWith("step 'wait': mirrors not ready after 10m: vda (50%), vdb", instance.Fault);
        var cancel = vm.Host.All<CancelJobs>().Last();
        Assert.Equal([vda, vdb + "-wb"], cancel.JobIds);     // the given vdb job is gone; its replacement is found by the instance's prefix
        Assert.Empty(vm.Host.Jobs);
        var cancelled = VmHost.Outputs(instance, "rollback")!["cancelled"]!.AsArray();
        Assert.Equal([vda, vdb + "-wb", vdb], cancelled.Select(j => j!["jobId"]!.GetValue<string>()));
        Assert.Equal("null", cancelled[2]!["status"]!.GetValue<string>());
    }
}
