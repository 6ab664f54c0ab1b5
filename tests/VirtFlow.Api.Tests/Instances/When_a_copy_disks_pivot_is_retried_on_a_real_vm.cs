using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Instances;

/// <summary>
/// Retry on the real thing: the shipped copy-disks-pivot started over HTTP on a real QEMU VM (two disks) with a real
/// worker faults because one target's folder does not exist; the VM stays on its sources (asked with QMP query-block on
/// the test's own monitor). The folder is made, <c>POST /api/instances/{id}/retry</c> continues from the faulted step,
/// the instance completes, and both disks are on their targets (query-block from outside again).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_copy_disks_pivot_is_retried_on_a_real_vm(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task It_faults_on_a_missing_target_folder_and_after_the_fix_the_retry_moves_both_disks()
    {
        await using var rig = await ShippedVmRig.StartAsync(rabbit, postgres, output, disks: 2);
        var api = rig.Api;
        var before = await VmBlocks.FilesAsync(rig.Vm);
        var missing = Path.Combine(rig.Vm.Dir, "not-made-yet");
        string[] targets = [Path.Combine(rig.Vm.Dir, "moved-vda.qcow2"), Path.Combine(missing, "moved-vdb.qcow2")];
        var start = new JsonObject
        {
            ["workflow"] = "copy-disks-pivot",
            ["inputs"] = new JsonObject
            {
                ["host"] = rig.HostId,
                ["vm"] = "web1",
                ["quiesce"] = "pause",
                ["disks"] = new JsonArray(
                    new JsonObject { ["device"] = "vda", ["target"] = targets[0] },
                    new JsonObject { ["device"] = "vdb", ["target"] = targets[1] }),
            },
        };
        var created = await api.Operator.PostAsJsonAsync("/api/instances", start);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        var faulted = await WaitForStatusAsync(api, id, "faulted");
        output.WriteLine($"fault: {faulted["fault"]}");
        Assert.Contains("vdb", faulted["fault"]!.GetValue<string>(), StringComparison.Ordinal);
        var faultedStep = faulted["steps"]!.AsArray().Single(s => s!["status"]!.GetValue<string>() == "faulted" && s["type"]!.GetValue<string>().StartsWith("vm.", StringComparison.Ordinal))!;
        output.WriteLine($"faulted step: {faultedStep["path"]}");
        // Nothing moved, and no job is left on the VM.
        Assert.Equal(before, await VmBlocks.FilesAsync(rig.Vm));
        Assert.Equal((rig.Vm.Disk("vda").ImagePath, rig.Vm.Disk("vdb").ImagePath), (await FileOfAsync(rig.Vm, "vda"), await FileOfAsync(rig.Vm, "vdb")));
        Assert.Empty(await rig.Vm.Monitor.QueryJobsAsync());

        Directory.CreateDirectory(missing);
        var retried = await api.Operator.PostAsJsonAsync($"/api/instances/{id}/retry", new { });
        var answer = await retried.Content.ReadAsStringAsync();
        Assert.True(retried.StatusCode == HttpStatusCode.OK, $"{(int)retried.StatusCode}: {answer}");
        Assert.Equal(faultedStep["id"]!.GetValue<string>(), JsonNode.Parse(answer)!["fromStep"]!.GetValue<string>());

        var completed = await WaitForStatusAsync(api, id, "completed");
        var after = await VmBlocks.FilesAsync(rig.Vm);
        output.WriteLine($"before: {before}\nafter: {after}");
        Assert.Equal((targets[0], targets[1]), (await FileOfAsync(rig.Vm, "vda"), await FileOfAsync(rig.Vm, "vdb")));
        Assert.Empty(await rig.Vm.Monitor.QueryJobsAsync());
        var journal = (await api.Viewer.GetFromJsonAsync<JsonObject>($"/api/instances/{id}/journal?limit=1000"))!["items"]!.AsArray();
        Assert.Single(journal, j => j!["kind"]!.GetValue<string>() == "InstanceRetried");
        Assert.Equal(InstanceStatus.Completed, (await api.Server.Engine.GetInstanceAsync(id))!.Status);
        Assert.Equal("completed", completed["status"]!.GetValue<string>());
    }

    /// <summary>The image file <paramref name="device"/> uses now, from the test's own monitor (query-block).</summary>
    private static async Task<string?> FileOfAsync(QemuVm vm, string device) =>
        (await vm.Monitor.QueryBlockAsync()).FirstOrDefault(b => b.Qdev?.Contains($"/{device}/", StringComparison.Ordinal) == true || b.Qdev == device)?.Inserted?.File;

    private static Task<JsonObject> WaitForStatusAsync(ApiServer api, string id, string status) => Eventually.Until(async () =>
    {
        var detail = await api.Viewer.GetFromJsonAsync<JsonObject>($"/api/instances/{id}");
        return detail!["status"]!.GetValue<string>() == status ? detail : null;
    }, Wait, $"instance {id} {status}");
}
