using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Tests.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Activities.Vm.Tests;

public sealed class When_using_single_VM_activities
{
    [Fact]
    public async Task Bad_disks_fault_before_anything_is_sent()
    {
        await using var vm = await VmHost.CreateAsync();
        var instance = await vm.StartAsync(vm.Define("""
            name: bad-disks
            steps:
              - id: mirror
                type: vm.mirror
                with:
                  vm: web1
                  disks:
                    - { device: vda, target: /new/a.qcow2 }
                    - { device: vda, target: /new/b.qcow2 }
            """), new JsonObject());

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'mirror': vm.mirror: input 'disks': vda is listed twice", instance.Fault);
        Assert.Empty(vm.Host.Received);
    }

    [Fact]
    public async Task A_mirror_abandoned_while_waiting_for_its_reply_cancels_its_jobs()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Silent.Add(nameof(MirrorDisks));
        var instance = await vm.StartAsync(vm.Define("""
            name: abandoned
            steps:
              - id: mirror
                type: vm.mirror
                with: { vm: web1, disks: [ { device: vda, target: /new/a.qcow2 } ] }
            """), new JsonObject());

        await vm.Engine.CancelAsync(instance.Id, "operator");

        Assert.Equal(InstanceStatus.Cancelled, (await vm.InstanceAsync(instance.Id)).Status);
        Assert.Equal(["MirrorDisks", "CancelJobs"], vm.Host.Types);
        Assert.Equal(vm.Host.All<MirrorDisks>().Single().Disks.Select(d => d.JobId), vm.Host.All<CancelJobs>().Single().JobIds);
    }

    [Fact]
    public async Task Cancelling_jobs_that_are_already_gone_succeeds()
    {
        await using var vm = await VmHost.CreateAsync();
        var instance = await vm.StartAsync(vm.Define("""
            name: cancel-gone
            steps:
              - id: cancel
                type: vm.cancel
                with: { vm: web1, jobs: [vf-00000000-0000-vda, { jobId: vf-00000000-0000-vdb, device: vdb }] }
            outputs:
              cancelled: ${ steps.cancel.outputs.cancelled }
            """), new JsonObject());

        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        Assert.Equal(["CancelJobs", "DismissJobs"], vm.Host.Types);
        Assert.Equal(["vf-00000000-0000-vda", "vf-00000000-0000-vdb"], instance.Output!["cancelled"]!.AsArray().Select(j => j!["jobId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Cancelling_nothing_sends_nothing()
    {
        await using var vm = await VmHost.CreateAsync();
        var instance = await vm.StartAsync(vm.Define("""
            name: cancel-nothing
            steps:
              - { id: cancel, type: vm.cancel, with: { vm: web1 } }
            """), new JsonObject());

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Empty(vm.Host.Received);
    }

    [Fact]
    public async Task Raw_QMP_and_query_output_what_the_host_returned()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Override = c => c is RawQmp { Command: "query-status" } ? Answer.Ok(new { status = "running", running = true }) : null;
        var instance = await vm.StartAsync(vm.Define("""
            name: qmp
            steps:
              - { id: status, type: vm.qmp, with: { vm: web1, command: query-status, arguments: { flat: true } } }
              - { id: query, type: vm.query, with: { vm: web1 } }
              - { id: pause, type: vm.pause, with: { vm: web1 } }
              - { id: resume, type: vm.resume, with: { vm: web1 } }
            outputs:
              status: ${ steps.status.outputs.return.status }
              runState: ${ steps.query.outputs.runState }
              paused: ${ steps.pause.outputs.runState }
            """), new JsonObject());

        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        Assert.Equal("""{"flat":true}""", vm.Host.All<RawQmp>().Single().ArgumentsJson);
        Assert.Equal(("running", "running", "paused"), (Json.Text(instance.Output!["status"]), Json.Text(instance.Output!["runState"]), Json.Text(instance.Output!["paused"])));
    }

    [Fact]
    public async Task A_refused_simple_command_faults_with_the_workers_reason()
    {
        await using var vm = await VmHost.CreateAsync();
        vm.Host.Override = c => c is RawQmp ? Answer.Fail("The command foo has not been found", "CommandNotFound") : null;
        var instance = await vm.StartAsync(vm.Define("""
            name: qmp-bad
            steps:
              - { id: foo, type: vm.qmp, with: { vm: web1, command: foo } }
            """), new JsonObject());

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'foo': QMP foo on VM 'web1' failed: The command foo has not been found", instance.Fault);
    }
}
