using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

/// <summary>A VM started running (no -S), so stop/cont produce STOP/RESUME events.</summary>
public sealed class RunningVmFixture : IAsyncLifetime
{
    public QemuVm Vm { get; private set; } = null!;

    public QmpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0, StartRunning = true });
        Client = await Vm.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        if (Client is not null) await Client.DisposeAsync();
        if (Vm is not null) await Vm.DisposeAsync();
    }
}
