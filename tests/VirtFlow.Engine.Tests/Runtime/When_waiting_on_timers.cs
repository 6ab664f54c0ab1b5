using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

public sealed class When_waiting_on_timers
{
    private const string Delayed = """
        name: delayed
        steps:
          - { id: before, type: test.probe, with: { name: before } }
          - { id: pause, type: delay, with: { duration: 5m } }
          - { id: after, type: test.probe, with: { name: after } }
        """;

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_delay_is_a_durable_timer_that_fires_on_the_clock(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        var instance = await host.RunAsync(Delayed);
        Assert.Equal(InstanceStatus.Suspended, instance.Status);
        Assert.Equal(host.Clock.GetUtcNow().AddMinutes(5), await host.Store.GetNextTimerDueAsync());

        host.ManualClock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, await host.Engine.ProcessDueTimersAsync());
        host.ManualClock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await host.Engine.ProcessDueTimersAsync());

        instance = await host.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(1, host.Probe.Count("after"));
        Assert.Contains(await host.JournalAsync(instance.Id), j => j.Kind == "Resumed" && j.StepPath == "pause");
    }

    [Fact]
    public async Task The_background_loop_fires_timers_when_the_fake_clock_passes_them()
    {
        await using var host = await TestHost.CreateAsync("memory");
        using var stop = new CancellationTokenSource();
        var background = host.Engine.RunBackgroundAsync(stop.Token);
        var instance = await host.RunAsync(Delayed);

        host.ManualClock.Advance(TimeSpan.FromMinutes(5));
        var done = await host.CompletionAsync(instance.Id);

        Assert.Equal(InstanceStatus.Completed, done.Status);
        await stop.CancelAsync();
        await background;
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Real_short_delays_complete_with_the_system_clock(string store)
    {
        await using var host = await TestHost.CreateAsync(store, new HostSettings
        {
            Clock = TimeProvider.System,
            Options = new() { TimerPollInterval = TimeSpan.FromMilliseconds(200) },
        });
        using var stop = new CancellationTokenSource();
        var background = host.Engine.RunBackgroundAsync(stop.Token);
        var started = DateTimeOffset.UtcNow;
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var definition = host.Define($$"""
                name: short-{{i}}
                steps:
                  - { id: pause, type: delay, with: { duration: {{100 + (i * 50)}}ms } }
                  - { id: after, type: test.probe, with: { name: after } }
                """);
            ids.Add(await host.Engine.StartAsync(definition));
        }

        foreach (var id in ids) Assert.Equal(InstanceStatus.Completed, (await host.CompletionAsync(id)).Status);
        Assert.Equal(5, host.Probe.Count("after"));
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(300));
        await stop.CancelAsync();
        await background;
    }

    [Fact]
    public async Task A_timer_fired_twice_runs_its_step_once()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync(Delayed);
        host.ManualClock.Advance(TimeSpan.FromMinutes(5));
        var timer = Assert.Single(await host.Store.FindDueTimersAsync(host.Clock.GetUtcNow(), 10));

        Assert.Equal(1, await host.Engine.ProcessDueTimersAsync());
        // the same timer again, as a second engine that read it before the first one's commit would deliver it
        await host.Store.CommitAsync(new InstanceCommit
        {
            Instance = await host.InstanceAsync(instance.Id),
            ExpectedVersion = (await host.InstanceAsync(instance.Id)).Version,
            ReplaceBookmarks = false,
            Bookmarks = [timer],
        });
        Assert.Equal(1, await host.Engine.ProcessDueTimersAsync());

        Assert.Equal(1, host.Probe.Count("after"));
        var journal = await host.JournalAsync(instance.Id);
        Assert.Single(journal, j => j.Kind == "Resumed");
        Assert.Single(journal, j => j.Kind == "StimulusIgnored");
        Assert.Equal(InstanceStatus.Completed, (await host.InstanceAsync(instance.Id)).Status);
    }

    [Fact]
    public async Task A_delay_until_a_past_time_completes_at_once()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: past
            steps:
              - { id: pause, type: delay, with: { until: "2020-01-01T00:00:00Z" } }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
    }
}
