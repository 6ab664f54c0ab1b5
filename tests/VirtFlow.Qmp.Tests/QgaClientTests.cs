using System.Diagnostics;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Qmp.Tests;

/// <summary>
/// The guest-agent client against the real qemu-ga of one shared tiny guest (which writes with fsync all the time).
/// Every test that freezes thaws in a finally: the guest is shared.
/// </summary>
[Collection(TinyGuestCollection.Name)]
public sealed class QgaClientTests(QgaGuestFixture fixture, ITestOutputHelper output) : IClassFixture<QgaGuestFixture>
{
    private static readonly TimeSpan CounterTimeout = TimeSpan.FromSeconds(30);
    private TinyGuest Guest => fixture.Guest;

    [Fact]
    public async Task Connect_resyncs_and_the_agent_answers_ping_and_sync()
    {
        output.WriteLine($"guest booted (marker seen) in {Guest.BootTime?.TotalSeconds:0.0} s");
        await using var qga = await QgaClient.ConnectAsync(Guest.QgaSocket);
        await qga.PingAsync();
        await qga.SyncAsync();
        await qga.PingAsync();
        Assert.True(qga.IsConnected);
    }

    [Fact]
    public async Task Info_reports_the_version_and_the_freeze_commands_enabled()
    {
        await using var qga = await QgaClient.ConnectAsync(Guest.QgaSocket);
        var info = await qga.GetInfoAsync();
        Assert.Matches(@"^\d+\.\d+", info.Version);
        foreach (var command in new[] { "guest-sync-delimited", "guest-ping", "guest-fsfreeze-status", "guest-fsfreeze-freeze", "guest-fsfreeze-thaw" })
            Assert.True(info.IsEnabled(command), command + " is not enabled");
    }

    [Fact]
    public async Task An_unknown_command_is_the_agents_CommandNotFound_and_the_client_stays_usable()
    {
        await using var qga = await QgaClient.ConnectAsync(Guest.QgaSocket);
        var e = await Assert.ThrowsAsync<QmpException>(() => qga.ExecuteAsync("guest-no-such-command"));
        Assert.Equal("CommandNotFound", e.ErrorClass);
        Assert.True(e.IsQemuError);
        Assert.Equal(QgaFsFreezeStatus.Thawed, await qga.GetFsFreezeStatusAsync());
    }

    [Fact]
    public async Task Calls_timed_out_against_the_real_agent_leave_the_client_usable()
    {
        await using var qga = await QgaClient.ConnectAsync(Guest.QgaSocket);
        var timeouts = 0;
        // A 1 ms budget is shorter than a round trip to the TCG guest: the guest-info reply arrives late, after the
        // next call was sent, and that call must resync past it (a stale guest-info reply is no freeze status).
        for (var i = 0; i < 20 && timeouts < 5; i++)
        {
            try
            {
                await qga.ExecuteAsync("guest-info", timeout: TimeSpan.FromMilliseconds(1));
            }
            catch (QmpException e) when (e.ErrorClass == QmpErrorClasses.Timeout)
            {
                timeouts++;
            }
            Assert.Equal(QgaFsFreezeStatus.Thawed, await qga.GetFsFreezeStatusAsync());
        }
        Assert.True(timeouts > 0, "no call timed out");
        output.WriteLine($"{timeouts} timed-out calls, each followed by a good one");
    }

    [Fact]
    public async Task Freeze_stops_the_guests_writes_until_thaw()
    {
        await using var qga = await QgaClient.ConnectAsync(Guest.QgaSocket);
        Assert.Equal(QgaFsFreezeStatus.Thawed, await qga.GetFsFreezeStatusAsync());
        // The guest is writing: time six counter steps. A frozen guest is then watched at least that long, so that an
        // unfrozen one would visibly have moved on even when the host is slow.
        var before = await Guest.WaitForCounterAsync(_ => true, CounterTimeout);
        var rate = Stopwatch.StartNew();
        await Guest.WaitForCounterAsync(n => n >= before + 6, CounterTimeout);
        var window = TimeSpan.FromTicks(Math.Clamp(rate.Elapsed.Ticks, TimeSpan.FromSeconds(2).Ticks, TimeSpan.FromSeconds(15).Ticks));

        var frozenAt = Stopwatch.StartNew();
        long atFreeze, highest;
        TimeSpan freezeCall;
        try
        {
            Assert.Equal(1, await qga.FsFreezeAsync());
            freezeCall = frozenAt.Elapsed;
            atFreeze = Guest.ReadCounter()!.Value;
            Assert.Equal(QgaFsFreezeStatus.Frozen, await qga.GetFsFreezeStatusAsync());
            highest = await HighestCounterWithinAsync(window); // an observation window, not a synchronisation
            Assert.Equal(QgaFsFreezeStatus.Frozen, await qga.GetFsFreezeStatusAsync());
        }
        finally
        {
            Assert.Equal(1, await qga.FsThawAsync());
        }
        var frozenFor = frozenAt.Elapsed;
        output.WriteLine($"6 steps took {rate.Elapsed.TotalMilliseconds:0} ms unfrozen; freeze call {freezeCall.TotalMilliseconds:0} ms; " +
            $"counter {atFreeze} at freeze, {highest} after {window.TotalSeconds:0.0} s frozen; thawed after {frozenFor.TotalMilliseconds:0} ms");
        // The write in flight when the freeze began completes and may print one more step (one more if that line
        // was half-written when read above); nothing after that.
        Assert.True(highest <= atFreeze + 2, $"the guest kept writing while frozen: {atFreeze} -> {highest} in {window}");

        Assert.Equal(QgaFsFreezeStatus.Thawed, await qga.GetFsFreezeStatusAsync());
        var resumed = await Guest.WaitForCounterAsync(n => n >= highest + 3, CounterTimeout);
        output.WriteLine($"writing again after thaw: counter {resumed}");
    }

    [Fact]
    public async Task While_frozen_the_agent_refuses_other_commands_but_status_info_and_thaw_work()
    {
        await using var qga = await QgaClient.ConnectAsync(Guest.QgaSocket);
        try
        {
            Assert.Equal(1, await qga.FsFreezeAsync());
            var refused = await Assert.ThrowsAsync<QmpException>(() => qga.ExecuteAsync("guest-get-osinfo"));
            Assert.True(refused.IsQemuError);
            Assert.Contains("frozen", refused.Description, StringComparison.Ordinal);
            var again = await Assert.ThrowsAsync<QmpException>(() => qga.FsFreezeAsync());
            Assert.True(again.IsQemuError);
            await qga.PingAsync();
            await qga.SyncAsync();
            Assert.NotEmpty((await qga.GetInfoAsync()).Version);
            Assert.Equal(QgaFsFreezeStatus.Frozen, await qga.GetFsFreezeStatusAsync());
        }
        finally
        {
            Assert.Equal(1, await qga.FsThawAsync());
        }
        Assert.Equal(0, await qga.FsThawAsync());
        Assert.Equal(QgaFsFreezeStatus.Thawed, await qga.GetFsFreezeStatusAsync());
    }

    /// <summary>The highest counter seen while polling the serial log for <paramref name="window"/>.</summary>
    private async Task<long> HighestCounterWithinAsync(TimeSpan window)
    {
        var highest = Guest.ReadCounter() ?? 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < window)
        {
            await Task.Delay(50);
            highest = Math.Max(highest, Guest.ReadCounter() ?? 0);
        }
        return highest;
    }
}
