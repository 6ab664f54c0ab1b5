using VirtFlow.Contracts;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.HostWorker.Tests;

/// <summary>
/// Quiesce by guest-agent fsfreeze on the tiny real guest, which writes to its ext4 disk with fsync all the time.
/// The guests boot one after the other (two TCG boots at once on 2 cores double each boot time).
/// </summary>
[Collection(TinyGuestCollection.Name)]
public sealed class GuestFreezeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CounterTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Freeze_while_the_guest_writes_pivot_while_frozen_thaw_and_the_guest_keeps_writing_to_a_clean_target()
    {
        await using var guest = await TinyGuest.StartAsync();
        output.WriteLine($"guest ready in {guest.BootTime?.TotalSeconds:0.0} s");
        var target = Path.Combine(guest.Dir, "target.qcow2");
        await using (var worker = await WorkerHarness.StartAsync(guest.QmpSocket, output, qgaSocket: guest.QgaSocket,
                         configure: o => o.StorageRoots.Add(guest.Dir)))
        {
            await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror(new DiskMirrorSpec(TinyGuest.DiskDeviceId, target, "qcow2", "m-vda")));
            await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, "m-vda");
            var before = await guest.WaitForCounterAsync(_ => true, CounterTimeout);
            await guest.WaitForCounterAsync(n => n >= before + 2, CounterTimeout); // it is writing

            var frozen = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.FsFreeze, TimeSpan.FromMinutes(2)));
            Assert.Equal((QuiesceModes.FsFreeze, 1, false), (frozen.Method, frozen.FrozenFilesystems, frozen.WasPaused));
            var pivot = await worker.RunOkAsync<PivotJobsResult>(Commands.Pivot("m-vda"));
            var thawed = await worker.RunOkAsync<UnquiesceResult>(Commands.Unquiesce(frozen.LeaseId));
            var atThaw = guest.ReadCounter() ?? 0;
            output.WriteLine($"frozen with 1 filesystem; pivot window {pivot.TotalMs:0.0} ms; thawed {thawed.ThawedFilesystems}; counter {atThaw} at thaw");
            Assert.Equal((true, 1, false), (thawed.Released, thawed.ThawedFilesystems, thawed.Resumed));
            await using (var monitor = await QmpClient.ConnectAsync(guest.TestQmpSocket)) // the harness quits through this monitor later
                Assert.Equal("vft-m-vda", await VmInspect.NodeOfAsync(monitor, TinyGuest.DiskDeviceId));

            await guest.WaitForCounterAsync(n => n >= atThaw + 3, CounterTimeout); // writing again, to the target now

            // Freeze once more so the image is consistent when QEMU quits (no journal to replay).
            var last = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.FsFreeze, TimeSpan.FromMinutes(2)));
            Assert.Equal(1, last.FrozenFilesystems);
            await guest.QuitAsync();
        }
        var fsck = await Ext4Check.CheckAsync(target);
        output.WriteLine(fsck.Output);
        Assert.True(fsck.ExitCode == 0, $"e2fsck -fn of the target: exit {fsck.ExitCode}: {fsck.Output}");
    }

    [Fact]
    public async Task A_pivot_holding_an_fsfreeze_thaws_before_it_answers_and_the_guest_keeps_writing_to_a_clean_target()
    {
        await using var guest = await TinyGuest.StartAsync();
        var target = Path.Combine(guest.Dir, "target.qcow2");
        await using (var worker = await WorkerHarness.StartAsync(guest.QmpSocket, output, qgaSocket: guest.QgaSocket,
                         configure: o => o.StorageRoots.Add(guest.Dir)))
        {
            await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror(new DiskMirrorSpec(TinyGuest.DiskDeviceId, target, "qcow2", "m-vda")));
            await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, "m-vda");
            var before = await guest.WaitForCounterAsync(_ => true, CounterTimeout);
            await guest.WaitForCounterAsync(n => n >= before + 2, CounterTimeout); // it is writing

            var pivot = await worker.RunOkAsync<PivotJobsResult>(Commands.QuiescedPivot(QuiesceModes.Auto, "m-vda"));

            var held = pivot.Quiesce!;
            var atThaw = guest.ReadCounter() ?? 0;
            output.WriteLine($"frozen {held.FrozenFilesystems}, thawed {held.ThawedFilesystems}; switch {pivot.TotalMs:0.0} ms inside a freeze of {held.QuiescedMs:0.0} ms");
            Assert.Equal((QuiesceModes.FsFreeze, 1, 1, true, false), (held.Method, held.FrozenFilesystems, held.ThawedFilesystems, held.Released, held.Resumed));
            Assert.Null((await worker.RunOkAsync<QueryVmResult>(Commands.Query())).LeaseId);
            await using (var monitor = await QmpClient.ConnectAsync(guest.TestQmpSocket))
                Assert.Equal("vft-m-vda", await VmInspect.NodeOfAsync(monitor, TinyGuest.DiskDeviceId));
            await guest.WaitForCounterAsync(n => n >= atThaw + 3, CounterTimeout); // thawed: writing again, to the target now

            // Freeze once more so the image is consistent when QEMU quits (no journal to replay).
            Assert.Equal(1, (await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.FsFreeze, TimeSpan.FromMinutes(2)))).FrozenFilesystems);
            await guest.QuitAsync();
        }
        var fsck = await Ext4Check.CheckAsync(target);
        Assert.True(fsck.ExitCode == 0, $"e2fsck -fn of the target: exit {fsck.ExitCode}: {fsck.Output}");
    }

    [Fact]
    public async Task A_freeze_whose_thaw_never_comes_is_undone_by_a_new_worker_or_when_the_lease_runs_out()
    {
        await using var guest = await TinyGuest.StartAsync();
        // A guest left frozen by a worker that died (no lease anywhere): a starting worker thaws it.
        await using (var dead = await QgaClient.ConnectAsync(guest.QgaSocket))
            Assert.Equal(1, await dead.FsFreezeAsync());
        await using (var worker = await WorkerHarness.StartAsync(guest.QmpSocket, output, qgaSocket: guest.QgaSocket))
        {
            await worker.Worker.StartupChecks;
            var thawedAt = guest.ReadCounter() ?? 0;
            await guest.WaitForCounterAsync(n => n >= thawedAt + 2, CounterTimeout); // writing again

            var frozen = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.Auto, TimeSpan.FromSeconds(3)));
            Assert.Equal((QuiesceModes.FsFreeze, 1), (frozen.Method, frozen.FrozenFilesystems));
            var atFreeze = guest.ReadCounter() ?? 0;

            var expired = await worker.Sink.WaitForAsync<QuiesceLeaseExpired>(e => e.LeaseId == frozen.LeaseId);

            Assert.Equal((true, 1, "thawed"), (expired.Released, expired.ThawedFilesystems, expired.FreezeStatus));
            await guest.WaitForCounterAsync(n => n >= atFreeze + 3, CounterTimeout);
        }
        // The worker let go of the agent's channel: ask the guest ourselves.
        await using var agent = await QgaClient.ConnectAsync(guest.QgaSocket);
        Assert.Equal(QgaFsFreezeStatus.Thawed, await agent.GetFsFreezeStatusAsync());
    }
}

[CollectionDefinition(Name)]
public sealed class TinyGuestCollection
{
    public const string Name = "tiny guests";
}
