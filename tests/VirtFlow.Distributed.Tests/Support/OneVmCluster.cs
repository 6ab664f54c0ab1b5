namespace VirtFlow.Distributed.Tests.Support;

/// <summary>
/// The deployment most scenarios start from (<see cref="DistributedTest.OneVmClusterAsync"/>): a cluster on a fresh store with its
/// server, a running two-disk QEMU VM (32 MiB disks) served as <c>vm1</c> by one worker of host <see cref="Host"/>, and the moves
/// of both disks into files named <c>moved-*</c>. Disposing it stops the VM, then the cluster.
/// </summary>
public sealed record OneVmCluster(Cluster Cluster, QemuVm Vm, string Host, DiskMove[] Moves, VirtFlowProcess Server, VirtFlowProcess Worker)
    : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Vm.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
