using VirtFlow.Distributed.Tests.Support;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Schedules;
using VirtFlow.Hosting.Schedules;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Distributed.Tests;

/// <summary>
/// Two <c>virtflow server</c> processes on one real PostgreSQL (Quartz clustered) with a schedule every 2 s for 60 s; one
/// is killed with SIGKILL mid-way and started again. Every scheduled time in the window has exactly one instance, with the
/// id derived from (schedule, scheduled time): 0 duplicates, 0 missed (all inside the catch-up window). The schedule
/// allows overlap: this is about exactly once, not about the overlap policy (an instance whose engine was killed counts
/// as running until its lease expires, so <c>skip</c> would skip firings here by design).
/// </summary>
public sealed class When_two_servers_fire_one_schedule(ServersFixture servers, ITestOutputHelper output)
    : DistributedTest(servers, output)
{
    private const string ScheduleId = "every2s:schedule1";
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task One_killed_and_restarted_mid_way_every_scheduled_time_has_exactly_one_instance()
    {
        await using var cluster = await ClusterAsync(Postgres);
        await File.WriteAllTextAsync(Path.Combine(cluster.WorkflowsDir, "every2s.yaml"), """
            name: every2s
            version: 1
            triggers:
              - type: schedule
                cron: "0/2 * * * * ?"
                overlap: allow
            steps:
              - type: log
                with: { message: tick }
            """);
        var first = await cluster.StartServerAsync();
        await cluster.StartServerAsync();
        var store = (IScheduleStore)cluster.Db;

        // The window: the 30 scheduled times from the next even second on.
        var now = DateTimeOffset.UtcNow;
        var start = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 2 - (now.ToUnixTimeSeconds() % 2));
        var times = Enumerable.Range(0, (int)(Window.TotalSeconds / 2)).Select(i => start.AddSeconds(2 * i)).ToList();

        // Mid-way (a dozen firings in), SIGKILL the first server, then start it again.
        await Eventually.Until(async () => await store.GetFiringAsync(ScheduleId, times[12]) is not null, TimeSpan.FromSeconds(90), $"the firing at {times[12]:O}\n{cluster.Logs()}");
        first.Kill();
        await cluster.StartServerAsync();

        await Eventually.Until(async () => await store.GetFiringAsync(ScheduleId, times[^1]) is not null, TimeSpan.FromSeconds(120), $"the firing at {times[^1]:O}\n{cluster.Logs()}");
        var missing = new List<string>();
        foreach (var at in times)
        {
            var firing = await Eventually.Until(() => store.GetFiringAsync(ScheduleId, at), TimeSpan.FromSeconds(60), $"the firing at {at:O}\n{cluster.Logs()}");
            if (firing.Outcome != ScheduleFiring.Started)
            {
                missing.Add($"{at:O}: {firing.Outcome} {firing.Detail}");
                continue;
            }

            Assert.Equal(ScheduleInstanceIds.For(ScheduleId, at), firing.InstanceId);
            await Eventually.Until(async () => await cluster.Db.GetInstanceAsync(firing.InstanceId!) is not null, TimeSpan.FromSeconds(60), $"instance of {at:O}");
        }

        Assert.True(missing.Count == 0, "firings not started:\n" + string.Join('\n', missing));
        // No instance beyond one per scheduled time: every instance of the workflow is the one of its firing.
        var instances = await cluster.Db.ListInstancesAsync(new InstanceQuery(WorkflowName: "every2s", Limit: 10_000));
        var firings = await store.GetFiringsAsync(ScheduleId, 10_000);
        Assert.Equal(instances.Count, firings.Count(f => f.Outcome == ScheduleFiring.Started));
        Assert.All(instances, i => Assert.Contains(firings, f => f.InstanceId == i.Id));
        Assert.Equal(instances.Count, instances.Select(i => i.Id).Distinct().Count());
        Output.WriteLine($"{times.Count} scheduled times in the window, {instances.Count} instances in all, recorded by {string.Join(", ", firings.Select(f => f.RecordedBy).Distinct())}");
    }
}
