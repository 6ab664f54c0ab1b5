using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using static VirtFlow.MainJob.Tests.MainJob;

namespace VirtFlow.MainJob.Tests;

/// <summary>copy-disks-pivot.yaml with quiesce fsfreeze on the tiny guest (a real Linux with its agent) while it writes.</summary>
public sealed class When_the_guest_is_frozen_for_the_switch
{
    [Fact]
    public async Task The_writing_guest_is_frozen_for_the_switch_thawed_after_and_the_target_filesystem_is_clean()
    {
        await using var guest = await TinyGuest.StartAsync();
        var before = await guest.WaitForCounterAsync(n => n > 0, TimeSpan.FromSeconds(60));
        var target = Path.Combine(guest.Dir, "moved-vda.qcow2");

        WorkflowInstance instance;
        await using (var host = await StartHostAsync(new VmSpec("guest", guest.QmpSocket, guest.QgaSocket)))
            instance = await RunAsync(host, "copy-disks-pivot", Inputs("guest", "fsfreeze", (TinyGuest.DiskDeviceId, target, "qcow2")));

        Assert.True(instance.Status == InstanceStatus.Completed, Details(instance));
        Assert.Equal("fsfreeze", instance.Output!["quiesceMethod"]!.GetValue<string>());

        // The embedded host is gone: the agent's socket is ours now.
        await using (var agent = await QgaClient.ConnectAsync(guest.QgaSocket, new QgaClientOptions { ConnectTimeout = TimeSpan.FromSeconds(30), DefaultTimeout = TimeSpan.FromSeconds(30) }))
        {
            Assert.Equal(QgaFsFreezeStatus.Thawed, await agent.GetFsFreezeStatusAsync());
            var now = guest.ReadCounter() ?? 0;
            await guest.WaitForCounterAsync(n => n > now + 2 && n > before, TimeSpan.FromSeconds(60));
            // The test's own QMP monitor: the device runs on the target.
            await using (var qmp = await QmpClient.ConnectAsync(guest.TestQmpSocket))
            {
                Assert.Equal(target, await FileOfAsync(qmp, TinyGuest.DiskDeviceId));
                Assert.Empty(await qmp.QueryJobsAsync());
            }
            // Freeze for a consistent image, then quit.
            await agent.FsFreezeAsync();
        }
        await guest.QuitAsync(TimeSpan.FromSeconds(30));
        var fsck = await Ext4Check.CheckAsync(target);
        Assert.True(fsck.ExitCode == 0, fsck.Output);
    }
}
