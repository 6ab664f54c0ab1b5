namespace VirtFlow.Distributed.Tests.Support;

/// <summary>What QEMU says about a VM's disks, from the test's own monitor.</summary>
public static class VmDisks
{
    /// <summary>The image file device <paramref name="device"/> uses now.</summary>
    public static async Task<string?> FileOfAsync(QmpClient qmp, string device) =>
        (await qmp.QueryBlockAsync()).FirstOrDefault(b => b.Qdev?.Contains($"/{device}/", StringComparison.Ordinal) == true || b.Qdev == device)?.Inserted?.File;

    /// <summary>"sources", "targets", or "half moved: vda on X, vdb on Y" (query-block).</summary>
    public static async Task<string> SideAsync(QemuVm vm, IReadOnlyList<DiskMove> moves)
    {
        var files = new List<(string Device, string? File)>();
        foreach (var move in moves) files.Add((move.Device, await FileOfAsync(vm.Monitor, move.Device)));
        if (files.All(f => f.File == vm.Disk(f.Device).ImagePath)) return "sources";
        if (files.All(f => f.File == moves.Single(m => m.Device == f.Device).Target)) return "targets";
        return "half moved: " + string.Join(", ", files.Select(f => $"{f.Device} on {f.File}"));
    }

    /// <summary>Every disk on its target, no job left in QEMU.</summary>
    public static async Task AssertMovedAsync(QemuVm vm, IReadOnlyList<DiskMove> moves)
    {
        Assert.Equal("targets", await SideAsync(vm, moves));
        Assert.Empty(await vm.Monitor.QueryJobsAsync());
    }

    /// <summary>Every disk on its source, no job left in QEMU.</summary>
    public static async Task AssertOnSourcesAsync(QemuVm vm, IReadOnlyList<DiskMove> moves)
    {
        Assert.Equal("sources", await SideAsync(vm, moves));
        Assert.Empty(await vm.Monitor.QueryJobsAsync());
    }

    /// <summary>After QEMU quit: <c>qemu-img compare</c> finds every target identical to its source.</summary>
    public static async Task AssertCopiesIdenticalAsync(QemuVm vm, IReadOnlyList<DiskMove> moves)
    {
        foreach (var move in moves)
        {
            var compare = await QemuImg.CompareAsync(vm.Disk(move.Device).ImagePath, move.Target);
            Assert.True(compare.Identical, $"{move.Device}: {compare.Output}");
        }
    }

    /// <summary>Sets the speed of every job QEMU runs (0: unlimited), from the test's monitor.</summary>
    public static async Task SetSpeedAsync(QemuVm vm, long bytesPerSecond)
    {
        foreach (var job in await vm.Monitor.QueryJobsAsync())
            await vm.Monitor.BlockJobSetSpeedAsync(job.Id, bytesPerSecond);
    }
}
