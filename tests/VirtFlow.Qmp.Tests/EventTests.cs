using VirtFlow.Qmp;

namespace VirtFlow.Qmp.Tests;

public sealed class EventTests(RunningVmFixture fixture) : IClassFixture<RunningVmFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private QmpClient Qmp => fixture.Client;

    private static bool IsStopOrResume(QmpEvent e) => e.Name is "STOP" or "RESUME";

    /// <summary>stop then cont; returns once both events arrived, so none leaks into the next test.</summary>
    private async Task PauseAndResumeAsync()
    {
        using var resumed = Qmp.Subscribe(e => e.Name == "RESUME");
        await Qmp.StopAsync();
        await Qmp.ContAsync();
        await resumed.WaitAsync(null, Wait);
    }

    [Fact]
    public async Task A_listener_that_never_reads_is_closed_with_EventsLost_while_the_others_get_every_event()
    {
        using var slow = Qmp.Subscribe(IsStopOrResume, capacity: 2);
        using var fast = Qmp.Subscribe(IsStopOrResume);
        for (var i = 0; i < 5; i++) await PauseAndResumeAsync();   // 10 events; would hang if the slow one blocked the read loop

        var received = new List<QmpEvent>();
        while (received.Count < 10) received.Add(await fast.WaitAsync(null, Wait));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? "STOP" : "RESUME"), received.Select(e => e.Name));
        Assert.True(received.Zip(received.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence && p.First.Timestamp <= p.Second.Timestamp));
        var now = TimeProvider.System.GetUtcNow();
        Assert.All(received, e => Assert.InRange(e.Timestamp, now.AddMinutes(-5), now.AddMinutes(1)));

        Assert.Equal("STOP", (await slow.WaitAsync(null, Wait)).Name);     // what it had queued is still delivered...
        Assert.Equal("RESUME", (await slow.WaitAsync(null, Wait)).Name);
        var lost = await Assert.ThrowsAsync<QmpException>(() => slow.WaitAsync(null, Wait));   // ...then it learns it missed some
        Assert.Equal(QmpErrorClasses.EventsLost, lost.ErrorClass);
    }

    [Fact]
    public async Task Waiting_with_replayAfter_finds_an_event_that_arrived_before_the_wait_began()
    {
        var mark = Qmp.EventSequence;
        using (var seen = Qmp.Subscribe(e => e.Name == "STOP"))
        {
            await Qmp.StopAsync();
            await seen.WaitAsync(null, Wait);   // STOP has arrived: a wait that starts now, without replay, would miss it
        }
        try
        {
            var stop = await Qmp.WaitForEventAsync(e => e.Name == "STOP", Wait, replayAfter: mark);
            Assert.True(stop.Sequence > mark);
            var missed = await Assert.ThrowsAsync<QmpException>(() => Qmp.WaitForEventAsync(e => e.Name == "STOP", TimeSpan.FromMilliseconds(300)));
            Assert.Equal(QmpErrorClasses.Timeout, missed.ErrorClass);
        }
        finally
        {
            using var resumed = Qmp.Subscribe(e => e.Name == "RESUME");
            await Qmp.ContAsync();
            await resumed.WaitAsync(null, Wait);
        }
    }

    [Fact]
    public async Task Events_as_an_async_stream_listen_from_the_first_MoveNext()
    {
        await using var events = Qmp.Events(IsStopOrResume).GetAsyncEnumerator();
        var first = events.MoveNextAsync();   // subscribes synchronously, then waits
        await PauseAndResumeAsync();
        Assert.True(await first.AsTask().WaitAsync(Wait));
        Assert.Equal("STOP", events.Current.Name);
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Wait));
        Assert.Equal("RESUME", events.Current.Name);
    }

    [Fact]
    public async Task Cancelling_an_event_wait_throws_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Qmp.WaitForEventAsync(_ => false, Timeout.InfiniteTimeSpan, cancellationToken: cts.Token));
        Assert.Equal(cts.Token, e.CancellationToken);
    }

    [Fact]
    public async Task A_filter_that_throws_closes_only_its_own_listener()
    {
        using var broken = Qmp.Subscribe(_ => throw new InvalidOperationException("bad filter"));
        using var good = Qmp.Subscribe(e => e.Name == "STOP");
        await PauseAndResumeAsync();
        Assert.Equal("STOP", (await good.WaitAsync(null, Wait)).Name);
        await Assert.ThrowsAsync<InvalidOperationException>(() => broken.WaitAsync(null, Wait));
        Assert.Equal("running", (await Qmp.QueryStatusAsync()).Status);
    }
}
