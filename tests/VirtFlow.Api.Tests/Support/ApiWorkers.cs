using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Worker;
using VirtFlow.Testing;

namespace VirtFlow.Api.Tests.Support;

/// <summary>A real worker of a host serving a real QEMU VM as <c>web1</c>, with a heartbeat every 500 ms.</summary>
public static class ApiWorkers
{
    /// <summary>Starts the worker of <paramref name="hostId"/> serving <paramref name="vm"/> as <c>web1</c> (storage root: the VM's folder).</summary>
    public static Task<VirtFlowWorkerHost> StartAsync(RabbitMqServer rabbit, string hostId, QemuVm vm) => VirtFlowWorkerHost.StartAsync(new VirtFlowWorkerOptions
    {
        HostId = hostId,
        RabbitMq = rabbit.AmqpUri,
        Vms = { new VmSpec("web1", vm.QmpSocketPath) },
        StorageRoots = { vm.Dir },
        ConfigureWorker = o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(500),
    });

    /// <summary>Waits until <paramref name="viewer"/>'s server lists <paramref name="hostId"/> online with <c>web1</c> connected; returns its entry.</summary>
    public static Task<JsonObject> WaitOnlineAsync(HttpClient viewer, string hostId) => Eventually.Until(async () =>
    {
        var hosts = await viewer.GetFromJsonAsync<JsonArray>("/api/hosts");
        return hosts!.OfType<JsonObject>().FirstOrDefault(h => h["hostId"]!.GetValue<string>() == hostId && h["online"]!.GetValue<bool>()
            && h["vms"]!.AsArray().Any(v => v!["name"]!.GetValue<string>() == "web1" && v["connected"]!.GetValue<bool>()));
    }, TimeSpan.FromSeconds(30), $"host {hostId} online with VM web1 connected");
}
