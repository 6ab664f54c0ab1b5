using System.Text.Json;
using VirtFlow.Contracts;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.HostWorker.Tests;

/// <summary>InspectVm, the preflight of a dry run, on real QEMU: it reports and changes nothing.</summary>
public sealed class When_a_VM_is_inspected(ITestOutputHelper output)
{
    private static InspectVm Inspect(IReadOnlyList<string> targets, IReadOnlyList<string> devices, bool agent = false) => new()
    {
        CommandId = WorkerHarness.NewId("inspect"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName,
        Targets = targets, Devices = devices, CheckGuestAgent = agent,
    };

    [Fact]
    public async Task A_dry_run_reports_disks_version_and_targets_and_changes_nothing()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, StartRunning = true });
        var root = Path.Combine(vm.Dir, "targets");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "keep.txt"), "there before");
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.StorageRoots.Add(root));
        var blocksBefore = JsonSerializer.Serialize(await vm.Monitor.QueryBlockAsync());
        var nodesBefore = await VmInspect.NamedNodesAsync(vm.Monitor);
        var filesBefore = Directory.GetFileSystemEntries(root).Order(StringComparer.Ordinal).ToList();

        var vda = Path.Combine(root, "vda.qcow2");
        var vdb = Path.Combine(root, "vdb.qcow2");
        var result = await worker.RunOkAsync<InspectVmResult>(Inspect([vda, vdb], ["vda", "vdb"]));

        var version = await vm.Monitor.QueryVersionAsync();
        Assert.Equal($"{version.Major}.{version.Minor}.{version.Micro}", result.QemuVersion);
        Assert.Equal("running", result.RunState);
        Assert.Equal(
            vm.Disks.Select(d => new InspectedDisk(d.Id, d.NodeName, d.ImagePath, d.Size, d.Format, false)),
            result.Disks.OrderBy(d => d.Device, StringComparer.Ordinal));
        Assert.All(result.Targets, t =>
        {
            Assert.Equal(root, t.StorageRoot);
            Assert.False(t.Exists);
            Assert.True(t.FreeBytes > 0, $"free bytes of {t.Path}: {t.FreeBytes}");
        });
        Assert.Equal([vda, vdb], result.Targets.Select(t => t.Path));
        Assert.Null(result.GuestAgent);
        Assert.Empty(result.Problems);

        Assert.Equal(blocksBefore, JsonSerializer.Serialize(await vm.Monitor.QueryBlockAsync()));
        Assert.Equal(nodesBefore, await VmInspect.NamedNodesAsync(vm.Monitor));
        Assert.Equal(filesBefore, Directory.GetFileSystemEntries(root).Order(StringComparer.Ordinal).ToList());
        Assert.Empty(await vm.Monitor.QueryJobsAsync());
    }

    [Fact]
    public async Task A_target_outside_the_roots_an_existing_target_a_missing_disk_and_a_silent_agent_are_one_line_problems_each()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, StartRunning = true });
        var root = Path.Combine(vm.Dir, "targets");
        Directory.CreateDirectory(root);
        var existing = Path.Combine(root, "existing.qcow2");
        await File.WriteAllTextAsync(existing, "an image already");
        var outside = Path.Combine(vm.Dir, "elsewhere.qcow2");
        var noFolder = Path.Combine(root, "no-such-folder", "x.qcow2");
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.StorageRoots.Add(root));

        var result = await worker.RunOkAsync<InspectVmResult>(Inspect([outside, existing, noFolder], ["vda", "vdz"], agent: true));
        foreach (var problem in result.Problems) output.WriteLine(problem);

        var byPath = result.Targets.ToDictionary(t => t.Path);
        Assert.Null(byPath[outside].StorageRoot);
        Assert.True(byPath[existing].Exists);
        Assert.Equal(root, byPath[existing].StorageRoot);
        Assert.Null(byPath[noFolder].FreeBytes);
        Assert.Equal(new GuestAgentCheck(false, "no guest agent is configured for this VM"), result.GuestAgent);
        Assert.Collection(result.Problems.Order(StringComparer.Ordinal),
            p => Assert.Equal("VM vm1: disk vdz not found (devices: vda)", p),
            p => Assert.Equal($"VM vm1: target {outside} is outside the storage roots ({root})", p),
            p => Assert.Equal($"VM vm1: target {existing} exists already and is not empty; a run never overwrites it", p),
            p => Assert.Equal($"VM vm1: target {noFolder}: its folder {Path.GetDirectoryName(noFolder)} does not exist", p),
            p => Assert.Equal("VM vm1: the guest agent does not answer: no guest agent is configured for this VM", p));
        Assert.All(result.Problems, p => Assert.DoesNotContain('\n', p));
        Assert.Equal("an image already", await File.ReadAllTextAsync(existing));
        Assert.False(File.Exists(outside));
    }
}

/// <summary>InspectVm's guest-agent check on the tiny real guest, whose qemu-ga answers.</summary>
[Collection(TinyGuestCollection.Name)]
public sealed class When_a_guest_with_an_agent_is_inspected(ITestOutputHelper output)
{
    [Fact]
    public async Task The_agent_answers_its_ping_and_is_no_problem()
    {
        await using var guest = await TinyGuest.StartAsync();
        await using var worker = await WorkerHarness.StartAsync(guest.QmpSocket, output, qgaSocket: guest.QgaSocket,
            configure: o => o.StorageRoots.Add(guest.Dir));
        var result = await worker.RunOkAsync<InspectVmResult>(new InspectVm
        {
            CommandId = WorkerHarness.NewId("inspect"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName,
            Targets = [Path.Combine(guest.Dir, "copy.qcow2")], Devices = [TinyGuest.DiskDeviceId], CheckGuestAgent = true,
        });
        Assert.Equal(new GuestAgentCheck(true, null), result.GuestAgent);
        Assert.Empty(result.Problems);
        Assert.Equal(TinyGuest.DiskDeviceId, Assert.Single(result.Disks).Device);
        await guest.QuitAsync();
    }
}
