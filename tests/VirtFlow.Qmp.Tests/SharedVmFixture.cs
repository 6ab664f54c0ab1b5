using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

/// <summary>One stopped VM (one disk) and a client on its QMP socket, shared by tests that only read or add/remove their own nodes.</summary>
public sealed class SharedVmFixture : IAsyncLifetime
{
    public QemuVm Vm { get; private set; } = null!;

    public QmpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1 });
        Client = await Vm.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        if (Client is not null) await Client.DisposeAsync();
        if (Vm is not null) await Vm.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedVmCollection : ICollectionFixture<SharedVmFixture>
{
    public const string Name = "shared-vm";
}
