using VirtFlow.Testing;

namespace VirtFlow.Api.Tests.Support;

/// <summary>What a dry run must leave as it was on a VM, asked on the test's own monitor.</summary>
public static class VmBlocks
{
    /// <summary>Each block device with its node, file and format (query-block; the guest's own cache setting, which changes as it boots, left out).</summary>
    public static async Task<string> FilesAsync(QemuVm vm) => string.Join("; ",
        (await vm.Monitor.ExecuteAsync("query-block")).AsArray().Select(b => $"{b!["qdev"]} {b["inserted"]?["node-name"]} {b["inserted"]?["file"]} {b["inserted"]?["drv"]}"));
}
