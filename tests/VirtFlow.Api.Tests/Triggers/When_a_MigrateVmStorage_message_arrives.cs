using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Triggers;

/// <summary>
/// The shipped <c>migrate-vm-storage</c> on a real QEMU VM with three disks, two under one folder and one elsewhere: a
/// <c>MigrateVmStorage</c> message (plain JSON) makes the worker name the two disks under <c>from</c>, and the shipped
/// copy-disks-pivot (a child instance) moves exactly those to <c>to</c>, named after their source files; the third stays.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_MigrateVmStorage_message_arrives(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Only_the_disks_under_from_move_to_to_named_after_their_files()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 3, StartRunning = true, PrefillBytes = 1 << 20, DiskFolders = ["old", "old", "elsewhere"] });
        var shipped = Path.Combine(TestDirs.RepoRoot, "workflows");
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, workflows:
        [
            ("copy-disks-pivot.yaml", await File.ReadAllTextAsync(Path.Combine(shipped, "copy-disks-pivot.yaml"))),
            ("migrate-vm-storage.yaml", await File.ReadAllTextAsync(Path.Combine(shipped, "migrate-vm-storage.yaml"))),
        ]);
        var hostId = "h-" + Guid.NewGuid().ToString("N")[..8];
        await using var worker = await ApiWorkers.StartAsync(rabbit.Server, hostId, vm);
        await ApiWorkers.WaitOnlineAsync(api.Viewer, hostId);
        var from = Path.Combine(vm.Dir, "old");
        var to = Directory.CreateDirectory(Path.Combine(vm.Dir, "new")).FullName;
        await using var broker = await TriggerBroker.ConnectAsync(rabbit.Server.AmqpUri);

        var message = new JsonObject { ["host"] = hostId, ["vm"] = "web1", ["from"] = from, ["to"] = to + "/" };
        await broker.PublishAsync("MigrateVmStorage", message.ToJsonString(), messageId: "migrate-" + hostId, correlationId: "CHG-1");

        var item = await Eventually.Until(async () => (await When_a_message_trigger_receives_plain_json.ListAsync(api, "migrate-vm-storage")).SingleOrDefault(),
            TimeSpan.FromSeconds(30), "the migrate-vm-storage instance");
        var done = await Eventually.Until(async () =>
        {
            var instance = await api.Viewer.GetFromJsonAsync<JsonObject>($"/api/instances/{item["id"]}");
            return instance!["status"]!.GetValue<string>() is "running" or "suspended" ? null : instance;
        }, TimeSpan.FromMinutes(3), "the migration to end");
        output.WriteLine(done.ToJsonString());
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal("CHG-1", done["correlationId"]!.GetValue<string>());
        var moved = done["outputs"]!["moved"]!.AsArray().Select(m => $"{m!["device"]} {m["target"]}").Order(StringComparer.Ordinal);
        Assert.Equal([$"vda {to}/vda.qcow2", $"vdb {to}/vdb.qcow2"], moved);
        Assert.Equal(["vdc"], done["outputs"]!["stayed"]!.AsArray().Select(d => d!.GetValue<string>()));

        var files = (await vm.Monitor.ExecuteAsync("query-block")).AsArray().Where(b => b!["inserted"] is not null && b["qdev"] is not null)
            .ToDictionary(b => b!["qdev"]!.GetValue<string>().Split('/')[3], b => b!["inserted"]!["file"]!.GetValue<string>());
        Assert.Equal(Path.Combine(to, "vda.qcow2"), files["vda"]);
        Assert.Equal(Path.Combine(to, "vdb.qcow2"), files["vdb"]);
        Assert.Equal(Path.Combine(vm.Dir, "elsewhere", "vdc.qcow2"), files["vdc"]);
    }
}
