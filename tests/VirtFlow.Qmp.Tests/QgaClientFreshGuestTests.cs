using System.Diagnostics;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Qmp.Tests;

/// <summary>Guest-agent cases that need a guest of their own: booting, left frozen, or stopped while frozen.</summary>
[Collection(TinyGuestCollection.Name)]
public sealed class QgaClientFreshGuestTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Calls_time_out_quickly_while_the_guest_boots_and_work_once_it_is_ready()
    {
        await using var guest = await TinyGuest.LaunchAsync();
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<QmpException>(() =>
            QgaClient.ConnectAsync(guest.QgaSocket, new QgaClientOptions { ConnectTimeout = TimeSpan.FromMilliseconds(500) }));
        var took = sw.Elapsed;
        Assert.DoesNotContain(TinyGuest.ReadyMarker, guest.ReadSerialLog(), StringComparison.Ordinal); // nobody was answering
        Assert.Equal(QmpErrorClasses.Timeout, e.ErrorClass);
        Assert.True(took < TimeSpan.FromSeconds(3), $"took {took}");

        await guest.WaitUntilReadyAsync();
        output.WriteLine($"timed out in {took.TotalMilliseconds:0} ms while booting; ready after {guest.BootTime?.TotalSeconds:0.0} s");
        await using var qga = await QgaClient.ConnectAsync(guest.QgaSocket);
        await qga.PingAsync();
        Assert.Equal(QgaFsFreezeStatus.Thawed, await qga.GetFsFreezeStatusAsync());
    }

    [Fact]
    public async Task A_freeze_the_test_forgets_is_thawed_by_the_harness_and_the_disk_checks_clean()
    {
        var guest = await TinyGuest.StartAsync();
        await using (guest)
        {
            var before = guest.ReadCounter() ?? 0;
            await guest.WaitForCounterAsync(n => n >= before + 3, TimeSpan.FromSeconds(30));
            await using var qga = await QgaClient.ConnectAsync(guest.QgaSocket);
            Assert.Equal(1, await qga.FsFreezeAsync());
            Assert.Equal(QgaFsFreezeStatus.Frozen, await qga.GetFsFreezeStatusAsync());
            // ...and no thaw: the harness must do it.
        }

        var teardown = guest.Teardown!;
        output.WriteLine($"teardown: {teardown}");
        Assert.True(teardown.ThawedByHarness, $"not thawed by the harness: {teardown}");
        Assert.Equal(1, teardown.Thawed);
        Assert.True(teardown.QuitCleanly, $"QEMU had to be killed: {teardown}");

        // QEMU stopped a running (thawed) guest, as after a power cut: replay the journal as a mount would, then
        // the check must be clean. (Without the replay, e2fsck -fn's verdict depends on where the writer was.)
        var strict = await Ext4Check.CheckAsync(guest.DiskPath);
        output.WriteLine($"e2fsck -fn without journal replay: exit {strict.ExitCode}");
        var fsck = await Ext4Check.CheckAsync(guest.DiskPath, replayJournal: true);
        output.WriteLine(fsck.Output);
        Assert.True(fsck.ExitCode == 0, $"e2fsck -fn exited with {fsck.ExitCode}:\n{fsck.Output}");
    }

    [Fact]
    public async Task A_disk_captured_while_frozen_is_clean_without_journal_replay()
    {
        var guest = await TinyGuest.StartAsync();
        await using (guest)
        {
            var before = guest.ReadCounter() ?? 0;
            await guest.WaitForCounterAsync(n => n >= before + 3, TimeSpan.FromSeconds(30));
            await using var qga = await QgaClient.ConnectAsync(guest.QgaSocket);
            Assert.Equal(1, await qga.FsFreezeAsync());
            await guest.QuitAsync(); // the power goes while frozen
        }
        Assert.False(guest.Teardown!.WasRunning);

        var fsck = await Ext4Check.CheckAsync(guest.DiskPath);
        output.WriteLine(fsck.Output);
        Assert.True(fsck.ExitCode == 0, $"e2fsck -fn exited with {fsck.ExitCode}:\n{fsck.Output}");
        Assert.DoesNotContain("journal recovery", fsck.Output, StringComparison.Ordinal); // freeze flushed the journal
    }
}
