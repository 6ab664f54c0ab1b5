using VirtFlow.Activities.Vm.Tests.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Activities.Vm.Tests;

/// <summary>workflows/point-in-time-copy.yaml on the real engine with a scripted host.</summary>
public sealed class When_copying_a_point_in_time
{
    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Every_mirror_is_cancelled_after_its_final_sync_inside_one_quiesce_and_the_VM_stays_on_its_disks(string store)
    {
        await using var vm = await VmHost.CreateAsync(store);
        var instance = await vm.StartAsync(vm.Workflow("point-in-time-copy.yaml"), VmHost.TwoDisks());

        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        Assert.Equal(["MirrorDisks", "QuiesceVm", "CancelJobs", "DismissJobs", "UnquiesceVm"], vm.Host.Effects);
        var cancel = Assert.Single(vm.Host.All<CancelJobs>());
        Assert.False(cancel.Force); // a final sync: the targets hold the moment of the quiesce
        Assert.Equal(Assert.Single(vm.Host.All<MirrorDisks>()).Disks.Select(d => d.JobId), cancel.JobIds);
        Assert.Equal(cancel.JobIds.Select(id => $"tgt-{id}"), Assert.Single(vm.Host.All<DismissJobs>()).Nodes);
        Assert.Empty(vm.Host.Pivoted);
        Assert.False(vm.Host.Quiesced);
        Assert.Empty(vm.Host.Jobs);

        var copies = instance.Output!["copies"]!.AsArray();
        Assert.Equal(["/new/vda.qcow2", "/new/vdb.raw"], copies.Select(c => c!["target"]!.GetValue<string>()));
        Assert.Equal(["qcow2", "raw"], copies.Select(c => c!["format"]!.GetValue<string>()));
        Assert.Equal("fsfreeze", instance.Output!["quiesceMethod"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_cancel_still_thaws_and_rolls_back_with_the_disk_named()
    {
        await using var vm = await VmHost.CreateAsync();
        var refused = false;
        vm.Host.Override = c =>
        {
            if (c is not CancelJobs || refused) return null;
            refused = true;
            return Answer.Fail("cancel of vdb on VM 'web1' failed: job did not reach pending within 60s", HostErrorClasses.Timeout);
        };

        var instance = await vm.StartAsync(vm.Workflow("point-in-time-copy.yaml"), VmHost.TwoDisks(quiesce: "pause"));

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'snapshot': cancel of vdb on VM 'web1' failed: job did not reach pending within 60s", instance.Fault);
        Assert.Equal(["MirrorDisks", "QuiesceVm", "CancelJobs", "UnquiesceVm", "CancelJobs", "DismissJobs"], vm.Host.Effects);
        Assert.True(vm.Host.All<CancelJobs>().Last().Force);
        Assert.False(vm.Host.Quiesced);
        Assert.Equal("pause", Assert.Single(vm.Host.All<QuiesceVm>()).Mode);
    }
}
