using VirtFlow.Contracts;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.HostWorker.Tests;

/// <summary>PruneCopies (nightly-backup's keep) deletes only dated copies strictly inside a storage root; CreateFolder creates only there; ListVms lists the served VMs.</summary>
public sealed class When_old_copies_are_pruned(ITestOutputHelper output)
{
    [Fact]
    public async Task The_oldest_dated_copies_beyond_keep_are_deleted_and_everything_else_stays()
    {
        var root = TestDirs.Create("prune-root");
        var dir = Path.Combine(root, "vm1");
        string[] stamps = ["2026-12-04T020000Z", "2026-12-05T020000Z", "2026-12-06T020000Z", "2026-12-07T020000Z"];
        foreach (var s in stamps) WriteCopy(dir, s, 1000);
        Directory.CreateDirectory(Path.Combine(dir, "notes")); // not a copy's name
        await File.WriteAllTextAsync(Path.Combine(dir, "2026-12-01T020000Z"), "a file, not a copy folder");
        var outside = TestDirs.Create("prune-outside");
        WriteCopy(outside, "2026-12-01T020000Z", 10);
        File.CreateSymbolicLink(Path.Combine(dir, "2026-12-02T020000Z"), Path.Combine(outside, "2026-12-01T020000Z")); // a link is never a copy

        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1 });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.StorageRoots.Add(root));
        var result = await worker.RunOkAsync<PruneCopiesResult>(Prune(dir, 2));

        Assert.Equal(["2026-12-04T020000Z", "2026-12-05T020000Z"], result.Deleted.Select(d => d.Name));
        Assert.Equal(["2026-12-06T020000Z", "2026-12-07T020000Z"], result.Kept.Select(d => d.Name));
        Assert.All(result.Kept, k => Assert.Equal(1000, k.Bytes));
        Assert.Equal(["2026-12-02T020000Z", "2026-12-06T020000Z", "2026-12-07T020000Z", "notes"],
            Directory.EnumerateDirectories(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(dir, "2026-12-01T020000Z")));
        Assert.True(File.Exists(Path.Combine(outside, "2026-12-01T020000Z", "vda.qcow2")), "the link's target outside the root is untouched");

        // Again: nothing more to delete (a repeated command after a restart is harmless).
        var again = await worker.RunOkAsync<PruneCopiesResult>(Prune(dir, 2));
        Assert.Empty(again.Deleted);
    }

    [Theory]
    [InlineData("outside")]
    [InlineData("dotdot")]
    [InlineData("link-out")]
    [InlineData("root-itself")]
    [InlineData("relative")]
    public async Task A_folder_not_strictly_inside_a_storage_root_is_refused_and_nothing_is_deleted(string how)
    {
        var root = TestDirs.Create("prune-root");
        var outside = TestDirs.Create("prune-outside");
        WriteCopy(outside, "2026-12-01T020000Z", 10);
        WriteCopy(outside, "2026-12-02T020000Z", 10);
        WriteCopy(root, "2026-12-01T020000Z", 10);
        WriteCopy(root, "2026-12-02T020000Z", 10);
        Directory.CreateDirectory(Path.Combine(root, "vm1"));
        File.CreateSymbolicLink(Path.Combine(root, "vm1", "escape"), outside);
        var directory = how switch
        {
            "outside" => outside,
            "dotdot" => Path.Combine(root, "vm1", "..", "..", Path.GetFileName(outside)),
            "link-out" => Path.Combine(root, "vm1", "escape"),
            "root-itself" => root,
            _ => "vm1/escape",
        };

        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1 });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.StorageRoots.Add(root));
        var result = await worker.RunAsync(Prune(directory, 1));

        Assert.False(result.Success, $"{how}: pruning {directory} succeeded");
        Assert.Contains(result.ErrorClass, new[] { HostErrorClasses.OutsideStorageRoots, HostErrorClasses.BadRequest });
        Assert.Contains(directory, result.Error, StringComparison.Ordinal);
        Assert.Equal(2, Directory.EnumerateDirectories(outside).Count());
        Assert.Equal(3, Directory.EnumerateDirectories(root).Count());
    }

    [Fact]
    public async Task A_worker_without_storage_roots_deletes_nothing()
    {
        var dir = TestDirs.Create("prune-noroot");
        WriteCopy(dir, "2026-12-01T020000Z", 10);
        WriteCopy(dir, "2026-12-02T020000Z", 10);
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1 });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);

        var result = await worker.RunAsync(Prune(dir, 1));

        Assert.False(result.Success);
        Assert.Equal(HostErrorClasses.OutsideStorageRoots, result.ErrorClass);
        Assert.Contains("no storage roots", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, Directory.EnumerateDirectories(dir).Count());
    }

    [Fact]
    public async Task ListVms_names_every_served_vm_with_its_disks_from_qemu()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, DiskSize = 4L << 20 });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);

        var result = await worker.RunOkAsync<ListVmsResult>(new ListVms { CommandId = WorkerHarness.NewId("list"), HostId = WorkerHarness.HostId, Vm = "*" });

        var listed = Assert.Single(result.Vms);
        Assert.Equal((WorkerHarness.VmName, true), (listed.Name, listed.Connected));
        Assert.Equal([vm.Disk("vda").ImagePath, vm.Disk("vdb").ImagePath], listed.Disks.Select(d => d.File));
        Assert.Equal(["vda", "vdb"], listed.Disks.Select(d => d.Device));
        Assert.All(listed.Disks, d => Assert.Equal(4L << 20, d.VirtualSize));
    }

    [Fact]
    public async Task CreateFolder_makes_a_folder_with_its_parents_inside_a_root_and_refuses_one_outside()
    {
        var root = TestDirs.Create("mkdir-root");
        var outside = TestDirs.Create("mkdir-outside");
        Directory.CreateDirectory(Path.Combine(root, "vm1"));
        File.CreateSymbolicLink(Path.Combine(root, "vm1", "escape"), outside);
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1 });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.StorageRoots.Add(root));
        CreateFolder Make(string path) => new() { CommandId = WorkerHarness.NewId("mkdir"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, Path = path };

        var inside = Path.Combine(root, "vm1", "2026-12-07T020000Z", "sub");
        Assert.True((await worker.RunAsync(Make(inside))).Success);
        Assert.True(Directory.Exists(inside));
        Assert.True((await worker.RunAsync(Make(inside))).Success); // an existing folder is a success

        foreach (var bad in new[] { Path.Combine(outside, "x"), Path.Combine(root, "vm1", "escape", "x"), Path.Combine(root, "..", "x"), root })
        {
            var refused = await worker.RunAsync(Make(bad));
            Assert.False(refused.Success, bad);
            Assert.Contains(bad, refused.Error, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.False(Directory.Exists(Path.Combine(TestDirs.Root, "x")));
    }

    private static PruneCopies Prune(string directory, int keep) => new()
    {
        CommandId = WorkerHarness.NewId("prune"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, Directory = directory, Keep = keep,
    };

    private static void WriteCopy(string dir, string stamp, int bytes)
    {
        var folder = Path.Combine(dir, stamp);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "vda.qcow2"), new byte[bytes]);
    }
}
