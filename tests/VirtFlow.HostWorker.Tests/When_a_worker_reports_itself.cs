using VirtFlow.Contracts;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.HostWorker.Tests;

/// <summary>What the control plane's hosts table is made of: the worker's version when it comes online, then heartbeats with its VMs.</summary>
public sealed class When_a_worker_reports_itself(ITestOutputHelper output)
{
    [Fact]
    public async Task Online_carries_its_version_and_each_heartbeat_its_version_and_VMs_with_their_connection()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1 });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(200));

        var online = Assert.Single(worker.Sink.Of<WorkerOnline>());
        Assert.Equal(HostWorker.Version, online.Version);
        Assert.Equal([WorkerHarness.VmName], online.Vms);
        Assert.False(string.IsNullOrWhiteSpace(HostWorker.Version));

        var first = await worker.Sink.WaitForAsync<WorkerHeartbeat>(_ => true);
        var second = await worker.Sink.WaitForAsync<WorkerHeartbeat>(h => h.EventId != first.EventId);
        Assert.Equal((HostWorker.Version, online.WorkerId, WorkerHarness.HostId), (second.Version, second.WorkerId, second.HostId));
        Assert.Equal([new WorkerVm(WorkerHarness.VmName, true)], second.Vms); // the snapshot came first: the monitor is held
        Assert.True(second.At >= first.At);
    }
}
