using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Hosts;

/// <summary>
/// On a real server (Kestrel, RabbitMQ, SQLite or PostgreSQL) with a real worker serving a real QEMU: the worker reports
/// itself (online, heartbeats) into the hosts table, a VM's disks and jobs are asked of it live, and once it stops the host
/// is offline and a live question is a 503 naming it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_hosts_are_listed(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task A_worker_is_listed_with_its_version_and_VMs_its_disks_are_asked_live_and_once_stopped_it_is_offline(string kind)
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, StartRunning = true });
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output);
        var hostId = "h-" + Guid.NewGuid().ToString("N")[..8];
        var worker = await ApiWorkers.StartAsync(rabbit.Server, hostId, vm);
        try
        {
            // A heartbeat says the VM's monitor is connected.
            var host = await Eventually.Until(async () =>
            {
                var hosts = await api.Viewer.GetFromJsonAsync<JsonArray>("/api/hosts");
                return hosts!.OfType<JsonObject>().FirstOrDefault(h => h["hostId"]!.GetValue<string>() == hostId
                    && h["vms"]!.AsArray().Any(v => v!["name"]!.GetValue<string>() == "web1" && v["connected"]!.GetValue<bool>()));
            }, TimeSpan.FromSeconds(30), $"host {hostId} listed with VM web1 connected");
            Assert.True(host["online"]!.GetValue<bool>());
            Assert.Equal(VirtFlow.HostWorker.HostWorker.Version, host["version"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(host["workerId"]!.GetValue<string>()));

            var live = await api.Viewer.GetAsync($"/api/hosts/{hostId}/vms/web1");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            var view = (await live.Content.ReadFromJsonAsync<JsonObject>())!;
            var disk = Assert.Single(view["disks"]!.AsArray())!;
            Assert.Equal(("vda", "src-vda", vm.Disks[0].ImagePath, vm.Disks[0].Size, "qcow2"),
                (disk["device"]!.GetValue<string>(), disk["node"]!.GetValue<string>(), disk["file"]!.GetValue<string>(),
                 disk["virtualSize"]!.GetValue<long>(), disk["format"]!.GetValue<string>()));
            Assert.Empty(view["jobs"]!.AsArray());
            Assert.Equal("running", view["runState"]!.GetValue<string>());

            var unknownVm = await Problems.AssertAsync(await api.Viewer.GetAsync($"/api/hosts/{hostId}/vms/nope"), HttpStatusCode.NotFound);
            Assert.Contains("has no VM nope", Problems.Detail(unknownVm), StringComparison.Ordinal);
            await Problems.AssertAsync(await api.Viewer.GetAsync("/api/hosts/no-such-host/vms/web1"), HttpStatusCode.NotFound);
            await Problems.AssertAsync(await api.Anonymous.GetAsync("/api/hosts"), HttpStatusCode.Unauthorized);
        }
        finally
        {
            await worker.DisposeAsync();
        }

        // WorkerOffline: listed offline, and a live question is refused at once naming the host.
        await Eventually.Until(async () =>
        {
            var hosts = await api.Viewer.GetFromJsonAsync<JsonArray>("/api/hosts");
            return hosts!.OfType<JsonObject>().FirstOrDefault(h => h["hostId"]!.GetValue<string>() == hostId && !h["online"]!.GetValue<bool>());
        }, TimeSpan.FromSeconds(30), $"host {hostId} listed offline");
        var offline = await Problems.AssertAsync(await api.Viewer.GetAsync($"/api/hosts/{hostId}/vms/web1"), HttpStatusCode.ServiceUnavailable);
        Assert.Contains($"host {hostId}", Problems.Detail(offline), StringComparison.Ordinal);
    }

    /// <summary>
    /// Two servers on one PostgreSQL and one broker: the worker's results go to whichever server takes them from the shared
    /// engine queue; the other finds them in the store's inbox.
    /// </summary>
    [Fact]
    public async Task Two_servers_on_one_PostgreSQL_both_list_the_host_and_both_answer_for_its_VM()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, StartRunning = true });
        var store = await ApiStores.CreateAsync(ApiStores.Postgres, postgres);
        await using var first = await ApiServer.StartAsync(rabbit.Server, store, output);
        await using var second = await ApiServer.StartAsync(rabbit.Server, store, output, keys: false);
        var viewers = new[] { first.Viewer, second.NewClient(first.Keys["viewer"]) };
        var hostId = "h-" + Guid.NewGuid().ToString("N")[..8];
        await using var worker = await ApiWorkers.StartAsync(rabbit.Server, hostId, vm);

        foreach (var viewer in viewers) await ApiWorkers.WaitOnlineAsync(viewer, hostId);

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
