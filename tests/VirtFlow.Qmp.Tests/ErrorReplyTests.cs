using System.Text.Json.Nodes;
using VirtFlow.Qmp;

namespace VirtFlow.Qmp.Tests;

[Collection(SharedVmCollection.Name)]
public sealed class ErrorReplyTests(SharedVmFixture fixture)
{
    [Fact]
    public async Task Blockdev_del_of_a_missing_node_throws_QEMUs_class_and_description()
    {
        var e = await Assert.ThrowsAsync<QmpException>(() => fixture.Client.BlockdevDelAsync("no-such-node"));
        Assert.Equal("GenericError", e.ErrorClass);
        Assert.Equal("Failed to find node with node-name='no-such-node'", e.Description);
        Assert.Equal("blockdev-del", e.Command);
        Assert.True(e.IsQemuError);
        Assert.Equal(QmpClientState.Running, fixture.Client.State);
    }

    [Fact]
    public async Task An_unknown_command_throws_CommandNotFound_and_the_client_keeps_working()
    {
        var e = await Assert.ThrowsAsync<QmpException>(() => fixture.Client.ExecuteAsync("no-such-command"));
        Assert.Equal("CommandNotFound", e.ErrorClass);
        Assert.Contains("no-such-command", e.Description);
        Assert.Equal("prelaunch", (await fixture.Client.QueryStatusAsync()).Status);
    }

    [Fact]
    public async Task Blockdev_mirror_to_a_missing_target_fails_without_creating_a_job()
    {
        var e = await Assert.ThrowsAsync<QmpException>(() =>
            fixture.Client.BlockdevMirrorAsync(new MirrorRequest("bad-mirror", "src-vda", "no-such-target")));
        Assert.True(e.IsQemuError);
        Assert.Empty(await fixture.Client.QueryJobsAsync());
    }

    [Fact]
    public async Task Blockdev_add_then_del_shows_the_node_then_removes_it()
    {
        await fixture.Client.BlockdevAddAsync(new JsonObject { ["driver"] = "null-co", ["node-name"] = "scratch-null", ["size"] = 1 << 20 });
        Assert.Contains(await fixture.Client.QueryNamedBlockNodesAsync(), n => n.NodeName == "scratch-null" && n.Drv == "null-co");
        await fixture.Client.BlockdevDelAsync("scratch-null");
        Assert.DoesNotContain(await fixture.Client.QueryNamedBlockNodesAsync(), n => n.NodeName == "scratch-null");
    }

    [Fact]
    public async Task Find_node_for_device_accepts_the_id_or_the_qdev_path()
    {
        Assert.Equal("src-vda", await fixture.Client.FindNodeForDeviceAsync("vda"));
        Assert.Equal("src-vda", await fixture.Client.FindNodeForDeviceAsync("/machine/peripheral/vda/virtio-backend"));
        Assert.Null(await fixture.Client.FindNodeForDeviceAsync("vdz"));
        var block = Assert.Single(await fixture.Client.QueryBlockAsync());
        Assert.Equal(fixture.Vm.Disk("vda").ImagePath, block.Inserted!.File);
        Assert.Equal("qcow2", block.Inserted.Drv);
    }
}
