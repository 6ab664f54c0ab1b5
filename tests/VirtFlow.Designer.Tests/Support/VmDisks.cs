using VirtFlow.Testing;

namespace VirtFlow.Designer.Tests.Support;

/// <summary>What QEMU says from outside (the test's own QMP monitor) about where a VM's disks live.</summary>
public static class VmDisks
{
    /// <summary>Asserts that each device runs on its target file (query-block) and that no block job is left (query-jobs).</summary>
    public static async Task AssertMovedAsync(QemuVm vm, params (string Device, string Target)[] disks)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var blocks = (await vm.Monitor.ExecuteAsync("query-block")).AsArray();
        foreach (var (device, target) in disks)
        {
            var block = blocks.Single(b => b!["qdev"]!.GetValue<string>().Contains($"/{device}/", StringComparison.Ordinal));
            Assert.Equal(target, block!["inserted"]!["file"]!.GetValue<string>());
        }
        Assert.Empty((await vm.Monitor.ExecuteAsync("query-jobs")).AsArray());
    }
}
