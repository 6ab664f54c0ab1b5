using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Hosting.Worker;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Support;

/// <summary>
/// A real QEMU VM (running, its disks qcow2), a real server (SQLite) serving the shipped copy-disks-pivot, and a real
/// worker of a fresh host serving the VM as <c>web1</c> (storage root: the VM's folder), online before it is returned.
/// </summary>
public sealed class ShippedVmRig : IAsyncDisposable
{
    private ShippedVmRig(QemuVm vm, ApiServer api, VirtFlowWorkerHost worker, string hostId) => (Vm, Api, Worker, HostId) = (vm, api, worker, hostId);

    public QemuVm Vm { get; }
    public ApiServer Api { get; }
    public VirtFlowWorkerHost Worker { get; }
    public string HostId { get; }

    public static async Task<ShippedVmRig> StartAsync(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output, int disks)
    {
        var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = disks, StartRunning = true });
        ApiServer? api = null;
        try
        {
            var shipped = await File.ReadAllTextAsync(Path.Combine(TestDirs.RepoRoot, "workflows", "copy-disks-pivot.yaml"));
            api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output,
                workflows: [("copy-disks-pivot.yaml", shipped)]);
            var hostId = "h-" + Guid.NewGuid().ToString("N")[..8];
            var worker = await ApiWorkers.StartAsync(rabbit.Server, hostId, vm);
            var rig = new ShippedVmRig(vm, api, worker, hostId);
            try
            {
                await ApiWorkers.WaitOnlineAsync(api.Viewer, hostId);
                return rig;
            }
            catch
            {
                await rig.DisposeAsync();
                throw;
            }
        }
        catch when (api is null)
        {
            await vm.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Worker.DisposeAsync();
        await Api.DisposeAsync();
        await Vm.DisposeAsync();
    }
}
