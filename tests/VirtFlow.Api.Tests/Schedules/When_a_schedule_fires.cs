using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Schedules;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;
using static VirtFlow.Api.Tests.Schedules.ScheduleWorkflows;

namespace VirtFlow.Api.Tests.Schedules;

/// <summary>
/// Schedules on a real server (Quartz, the store, RabbitMQ, HTTP): a cron firing starts one instance whose id derives from
/// (schedule, scheduled time) and which names both; a backfill over the daylight-saving change days in Europe/Berlin fires
/// once per day; a repeated backfill starts nothing new; overlap skip records why; a second server on one SQLite file
/// with schedules refuses to start, naming the holder.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_schedule_fires(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task A_cron_firing_starts_one_instance_named_after_the_schedule_and_its_scheduled_time(string kind)
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output, workflows: [Tick]);

        var started = await Eventually.Until(async () =>
        {
            var schedule = await GetAsync(api.Viewer, "/api/schedules/tick:schedule1");
            return schedule["firings"]!.AsArray().Select(f => f!.AsObject()).FirstOrDefault(f => f["outcome"]!.GetValue<string>() == "started");
        }, Wait, "a started firing of tick:schedule1");

        var id = started["instanceId"]!.GetValue<string>();
        var scheduled = started["scheduledTime"]!.GetValue<DateTimeOffset>();
        Assert.Equal(ScheduleInstanceIds.For("tick:schedule1", scheduled), id);
        Assert.Equal(0, scheduled.Second % 2);
        // The firing is recorded as started just before its instance is created (a node that dies in between starts the
        // same id again), so the instance may not be there for a moment: 404 is "not yet" here.
        var instance = await Eventually.Until(async () =>
        {
            using var response = await api.Viewer.GetAsync($"/api/instances/{id}");
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            var i = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(response.StatusCode == HttpStatusCode.OK, i.ToJsonString());
            return string.Equals(i["status"]!.GetValue<string>(), "completed", StringComparison.OrdinalIgnoreCase) ? i : null;
        }, Wait, $"instance {id} completed");
        Assert.Equal("tick:schedule1", instance["scheduleId"]!.GetValue<string>());
        Assert.Equal(scheduled, instance["scheduledTime"]!.GetValue<DateTimeOffset>());
        Assert.Equal("cron", instance["inputs"]!["who"]!.GetValue<string>());

        var list = (await GetAsync(api.Viewer, "/api/schedules"))["items"]!.AsArray();
        var tick = Assert.Single(list, s => s!["id"]!.GetValue<string>() == "tick:schedule1")!;
        Assert.True(tick["nextFiring"]!.GetValue<DateTimeOffset>() > scheduled, tick.ToJsonString());
        Assert.NotNull(tick["lastFiring"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Viewer.PostAsync("/api/schedules/tick:schedule1/trigger", null)).StatusCode);
    }

    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task A_backfill_over_both_daylight_saving_days_in_Berlin_fires_once_each_day_and_a_repeat_starts_nothing_new(string kind)
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output, workflows: [Berlin]);

        // 2027-03-28: 02:00 CET jumps to 03:00 CEST, 02:30 does not exist: Quartz fires at 03:00 CEST (01:00Z).
        var spring = await BackfillAsync(api, "2027-03-27T23:00:00Z", "2027-03-28T22:00:00Z");
        // 2027-10-31: 03:00 CEST falls back to 02:00 CET, 02:30 exists twice: it fires once, at the first (00:30Z).
        var autumn = await BackfillAsync(api, "2027-10-30T22:00:00Z", "2027-10-31T23:00:00Z");

        var springTime = Assert.Single(spring)!["scheduledTime"]!.GetValue<DateTimeOffset>();
        var autumnTime = Assert.Single(autumn)!["scheduledTime"]!.GetValue<DateTimeOffset>();
        Assert.Equal(DateTimeOffset.Parse("2027-03-28T01:00:00Z", System.Globalization.CultureInfo.InvariantCulture), springTime);
        Assert.Equal(DateTimeOffset.Parse("2027-10-31T00:30:00Z", System.Globalization.CultureInfo.InvariantCulture), autumnTime);
        foreach (var firing in spring.Concat(autumn))
        {
            Assert.Equal("started", firing!["outcome"]!.GetValue<string>());
            var id = firing["instanceId"]!.GetValue<string>();
            Assert.NotNull(await api.Server.Engine.GetInstanceAsync(id));
        }

        var again = await BackfillAsync(api, "2027-03-27T23:00:00Z", "2027-03-28T22:00:00Z");
        Assert.Equal(spring[0]!["instanceId"]!.GetValue<string>(), Assert.Single(again)!["instanceId"]!.GetValue<string>());
        var page = await GetAsync(api.Viewer, "/api/instances?workflow=berlin");
        Assert.Equal(2, page["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Overlap_skip_with_a_step_longer_than_the_period_starts_one_instance_and_records_each_skip()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Postgres, postgres), output, workflows: [Slow]);

        var firings = await Eventually.Until(async () =>
        {
            var all = (await GetAsync(api.Viewer, "/api/schedules/slow:schedule1"))["firings"]!.AsArray().Select(f => f!.AsObject()).ToList();
            return all.Count(f => f["outcome"]!.GetValue<string>() == "skipped") >= 3 ? all : null;
        }, Wait, "three skipped firings of slow:schedule1");

        var started = firings.Where(f => f["outcome"]!.GetValue<string>() == "started").ToList();
        var first = started.Min(f => f["scheduledTime"]!.GetValue<DateTimeOffset>());
        var skipped = firings.Where(f => f["outcome"]!.GetValue<string>() == "skipped").ToList();
        Assert.All(skipped, f => Assert.StartsWith("overlap skip: instance ", f["detail"]!.GetValue<string>(), StringComparison.Ordinal));
        // While the first instance runs (6 s), every firing after it is skipped: no second instance inside its run.
        Assert.DoesNotContain(started, f => f["scheduledTime"]!.GetValue<DateTimeOffset>() is var t && t > first && t < first.AddSeconds(5));
        var running = await api.Server.Engine.Store.ListInstancesAsync(new InstanceQuery(InstanceStatus.Running, "slow"));
        var suspended = await api.Server.Engine.Store.ListInstancesAsync(new InstanceQuery(InstanceStatus.Suspended, "slow"));
        Assert.True(running.Count + suspended.Count <= 1, $"{running.Count} running, {suspended.Count} suspended");
    }

    [Fact]
    public async Task A_second_server_with_schedules_on_the_same_sqlite_file_refuses_to_start_naming_the_first()
    {
        var store = TestStore.Sqlite();
        await using var first = await ApiServer.StartAsync(rabbit.Server, store, output, workflows: [Tick]);

        var refused = await Assert.ThrowsAsync<SchedulerRefusedException>(() => ApiServer.StartAsync(rabbit.Server, store, output, keys: false, workflows: [Tick]));

        Assert.Contains("already has a scheduler", refused.Message, StringComparison.Ordinal);
        Assert.Contains(first.Server.Engine.Options.EngineId, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    private static async Task<List<JsonNode?>> BackfillAsync(ApiServer api, string from, string to)
    {
        var response = await api.Operator.PostAsJsonAsync("/api/schedules/berlin:nightly/backfill", new { from, to });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body?.ToJsonString());
        return [.. body!["firings"]!.AsArray()];
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body?.ToJsonString()}");
        return body!;
    }
}
