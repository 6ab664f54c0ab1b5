using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

/// <summary>The mirror steps the tests share: add a target node, start a mirror that stops at PENDING, wait for statuses.</summary>
internal static class MirrorSteps
{
    public static readonly TimeSpan Slow = TimeSpan.FromSeconds(120);

    public static string JobId(QemuVmDisk disk) => "mirror-" + disk.Id;

    public static string TargetNode(QemuVmDisk disk) => "tgt-" + disk.Id;

    /// <summary>Creates the target image, adds it as node tgt-ID and starts the mirror; returns the target image path.</summary>
    public static async Task<string> StartAsync(QemuVm vm, IQmpClient qmp, QemuVmDisk disk, long? speed = null)
    {
        var target = await vm.CreateTargetImageAsync(disk.Id);
        await qmp.BlockdevAddFileAsync(TargetNode(disk), target, disk.Format);
        await qmp.BlockdevMirrorAsync(new MirrorRequest(JobId(disk), disk.NodeName, TargetNode(disk))
        {
            AutoFinalize = false,
            AutoDismiss = false,
            Speed = speed,
        });
        return target;
    }

    public static async Task ExpectStatusAsync(IQmpClient qmp, QemuVmDisk disk, string status) =>
        Assert.Equal(status, await qmp.WaitForJobStatusAsync(JobId(disk), [status], Slow));

    public static async Task<string?> NodeOfAsync(IQmpClient qmp, QemuVmDisk disk) => await qmp.FindNodeForDeviceAsync(disk.Id);
}
