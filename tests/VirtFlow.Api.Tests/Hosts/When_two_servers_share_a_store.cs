using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Hosting.Worker;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Hosts;

/// <summary>
/// Two servers on one PostgreSQL and one broker: both list the same host, and both answer a live question about its VM,
/// although the worker's results go to whichever server takes them from the shared engine queue (the other finds them in
/// the store's inbox).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_two_servers_share_a_store(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Both_list_the_host_and_both_answer_for_its_VM()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, StartRunning = true });
        var store = await ApiStores.CreateAsync(ApiStores.Postgres, postgres);
        await using var first = await ApiServer.StartAsync(rabbit.Server, store, output);
        await using var second = await ApiServer.StartAsync(rabbit.Server, store, output, keys: false);
        var viewers = new[] { first.Viewer, second.NewClient(first.Keys["viewer"]) };
        var hostId = "h-" + Guid.NewGuid().ToString("N")[..8];
        await using var worker = await VirtFlowWorkerHost.StartAsync(new VirtFlowWorkerOptions
        {
            HostId = hostId,
            RabbitMq = rabbit.Server.AmqpUri,
            Vms = { new VmSpec("web1", vm.QmpSocketPath) },
            StorageRoots = { vm.Dir },
            ConfigureWorker = o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(500),
        });

        foreach (var viewer in viewers)
            await Eventually.Until(async () =>
            {
                var hosts = await viewer.GetFromJsonAsync<JsonArray>("/api/hosts");
                return hosts!.OfType<JsonObject>().Any(h => h["hostId"]!.GetValue<string>() == hostId && h["online"]!.GetValue<bool>()
                    && h["vms"]!.AsArray().Any(v => v!["connected"]!.GetValue<bool>()));
            }, TimeSpan.FromSeconds(30), $"host {hostId} online with web1 connected");

        for (var round = 0; round < 4; round++)
        {
            foreach (var viewer in viewers)
            {
                var live = await viewer.GetAsync($"/api/hosts/{hostId}/vms/web1");
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                var view = (await live.Content.ReadFromJsonAsync<JsonObject>())!;
                Assert.Equal("vda", Assert.Single(view["disks"]!.AsArray())!["device"]!.GetValue<string>());
            }
        }
    }
}
