using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

public sealed class TcpTransportTests
{
    [Fact]
    public async Task A_QEMU_monitor_on_TCP_negotiates_and_answers_concurrent_commands()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, TcpMonitor = true });
        await using var qmp = await QmpClient.ConnectAsync(vm.TcpMonitorEndpoint!);
        Assert.Equal(vm.Monitor.Greeting.Version, qmp.Greeting.Version);
        Assert.Equal(vm.TcpMonitorEndpoint, qmp.Endpoint);
        var nodes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => qmp.FindNodeForDeviceAsync("vda")));
        Assert.All(nodes, n => Assert.Equal("src-vda", n));
    }
}
