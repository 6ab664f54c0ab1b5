using VirtFlow.Activities.Vm.Tests.Support;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Activities.Vm.Tests;

public sealed class When_a_host_has_no_worker
{
    [Fact]
    public async Task The_first_command_faults_after_its_timeout_saying_so_and_the_rollback_does_not_hang()
    {
        await using var vm = await VmHost.CreateAsync(registerHost: false);
        var inputs = VmHost.TwoDisks();
        inputs["host"] = "h1";

        var instance = await vm.StartAsync(vm.Workflow("copy-disks-pivot.yaml"), inputs);
        Assert.Equal(InstanceStatus.Suspended, instance.Status);
        var unsent = await vm.Store.GetPendingOutboxAsync(10);
        Assert.Equal("no in-process handler for destination 'h1' (command MirrorDisks " + unsent[0].Id + ")", unsent[0].LastError);

        await vm.AdvanceAsync(TimeSpan.FromMinutes(2));   // MirrorDisks: no answer
        await vm.AdvanceAsync(TimeSpan.FromMinutes(2));   // the rollback's QueryVm: no answer either

        instance = await vm.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'mirror': mirror of vda, vdb on VM 'web1': no answer from host 'h1' within 2m for MirrorDisks (is a worker running for it?); "
            + "a CancelJobs for its jobs is queued behind it", instance.Fault);
        var queued = (await vm.Store.GetPendingOutboxAsync(10)).Select(m => m.MessageType).ToList();
        Assert.Equal(["MirrorDisks", "CancelJobs", "QueryVm"], queued); // delivered in this order if a worker ever comes
    }
}
