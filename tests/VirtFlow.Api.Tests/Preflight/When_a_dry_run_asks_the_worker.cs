using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Preflight;

/// <summary>
/// A dry run of the shipped copy-disks-pivot on a real server with a real worker serving a real QEMU VM: the plan carries
/// what the worker found (each disk's file, size and format; each target's storage root, existence and free space; the
/// QEMU version), a target outside the storage roots is a problem line, and nothing changes (query-block, the target
/// folder, the instance list).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_dry_run_asks_the_worker(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Theory]
    [InlineData("/api/preflight")]
    [InlineData("/api/instances?dryRun=true")]
    public async Task The_plan_has_each_disk_and_target_as_the_worker_sees_them_and_nothing_changes(string path)
    {
        await using var rig = await ShippedVmRig.StartAsync(rabbit, postgres, output, disks: 2);
        var (vm, api, hostId) = (rig.Vm, rig.Api, rig.HostId);
        var targets = Directory.CreateDirectory(Path.Combine(vm.Dir, "targets")).FullName;
        var outside = TestDirs.Create("outside");
        var blockBefore = await VmBlocks.FilesAsync(vm);

        var response = await api.Operator.PostAsJsonAsync(path, new
        {
            workflow = "copy-disks-pivot",
            inputs = new
            {
                host = hostId,
                vm = "web1",
                quiesce = "pause",
                disks = new[]
                {
                    new { device = "vda", target = Path.Combine(targets, "vda.qcow2") },
                    new { device = "vdb", target = Path.Combine(outside, "vdb.qcow2") },
                },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        output.WriteLine(plan.ToJsonString());
        Assert.Matches(@"^\d+\.\d+\.\d+", plan["qemuVersion"]!.GetValue<string>());
        Assert.Equal("running", plan["runState"]!.GetValue<string>());
        var disks = plan["disks"]!.AsArray().Select(d => d!.AsObject()).ToList();
        Assert.Equal(2, disks.Count);
        for (var i = 0; i < 2; i++)
            Assert.Equal((vm.Disks[i].Id, vm.Disks[i].ImagePath, vm.Disks[i].Size, "qcow2"),
                (disks[i]["device"]!.GetValue<string>(), disks[i]["currentFile"]!.GetValue<string>(), disks[i]["virtualSize"]!.GetValue<long>(),
                 disks[i]["format"]!.GetValue<string>()));
        Assert.Equal(vm.Dir, disks[0]["storageRoot"]!.GetValue<string>());
        Assert.False(disks[0]["targetExists"]!.GetValue<bool>());
        Assert.True(disks[0]["freeBytes"]!.GetValue<long>() > 0);
        Assert.Null(disks[1]["storageRoot"]);

        Assert.False(plan["canRun"]!.GetValue<bool>());
        var problem = Assert.Single(plan["problems"]!.AsArray())!.GetValue<string>();
        Assert.Equal($"VM web1: disk vdb: target {Path.Combine(outside, "vdb.qcow2")} is outside the storage roots ({vm.Dir})", problem);

        // Nothing changed: the VM's block devices, the target folders, the instances.
        Assert.Equal(blockBefore, await VmBlocks.FilesAsync(vm));
        Assert.Empty((await vm.Monitor.ExecuteAsync("query-block-jobs")).AsArray());
        Assert.Empty(Directory.EnumerateFileSystemEntries(targets));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        var instances = (await api.Viewer.GetFromJsonAsync<JsonObject>("/api/instances"))!;
        output.WriteLine(instances.ToJsonString());
        Assert.Empty(instances["items"]!.AsArray());
    }
}
