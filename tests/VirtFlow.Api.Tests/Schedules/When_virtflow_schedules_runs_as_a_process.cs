using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Schedules;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;
using static VirtFlow.Api.Tests.Schedules.ScheduleWorkflows;

namespace VirtFlow.Api.Tests.Schedules;

/// <summary>
/// <c>virtflow schedules list|pause|resume|trigger|backfill</c> as real processes against a real server: the list shows
/// the next firing, a pause keeps its note and its firings are skipped and recorded, trigger now starts an instance
/// named after the schedule and the time, backfill with its own overlap, and a viewer's trigger is one line with 403.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_virtflow_schedules_runs_as_a_process(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Each_action_works_over_http_and_a_paused_schedule_skips_its_firings_with_the_note()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, workflows: [Tick, Berlin]);
        string[] op = ["--server", api.BaseAddress.ToString(), "--api-key", api.Keys["operator"]];

        var list = await CliAsync(["schedules", "list", .. op]);
        Assert.True(list.Code == 0, list.Err);
        Assert.Contains("tick:schedule1", list.Out, StringComparison.Ordinal);
        Assert.Contains("berlin:nightly", list.Out, StringComparison.Ordinal);
        Assert.Contains("Europe/Berlin", list.Out, StringComparison.Ordinal);

        var paused = await CliAsync(["schedules", "pause", "tick:schedule1", "--note", "storage maintenance", .. op]);
        Assert.True(paused.Code == 0, paused.Err);
        Assert.Contains("paused (storage maintenance)", paused.Out, StringComparison.Ordinal);
        var store = (Engine.Storage.Schedules.IScheduleStore)api.Server.Engine.Store;
        var skipped = await Eventually.Until(async () => (await store.GetFiringsAsync("tick:schedule1", 5))
            .FirstOrDefault(f => f.Detail == "paused: storage maintenance"), Wait, "a firing skipped while paused");
        Assert.Equal("skipped", skipped.Outcome);

        var resumed = await CliAsync(["schedules", "resume", "tick:schedule1", .. op]);
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains("tick:schedule1: active", resumed.Out, StringComparison.Ordinal);

        var triggered = await CliAsync(["schedules", "trigger", "berlin:nightly", .. op]);
        Assert.True(triggered.Code == 0, triggered.Err);
        Assert.Contains(" started ", triggered.Out, StringComparison.Ordinal);
        var id = triggered.Out.Trim().Split(' ')[2];
        Assert.Equal(ScheduleInstanceIds.For("berlin:nightly", DateTimeOffset.Parse(triggered.Out.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)), id);
        Assert.NotNull(await api.Server.Engine.GetInstanceAsync(id));

        var backfill = await CliAsync(["schedules", "backfill", "berlin:nightly", "--from", "2027-01-01T00:00:00Z", "--to", "2027-01-04T00:00:00Z", "--overlap", "allow", .. op]);
        Assert.True(backfill.Code == 0, backfill.Err);
        Assert.Equal(3, backfill.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains(" started ", StringComparison.Ordinal)));

        var refused = await CliAsync(["schedules", "trigger", "berlin:nightly", "--server", api.BaseAddress.ToString(), "--api-key", api.Keys["viewer"]]);
        Assert.Equal(1, refused.Code);
        Assert.Contains("403", refused.Err, StringComparison.Ordinal);
        Assert.Single(refused.Err.Trim().Split('\n'));

        var usage = await CliAsync(["schedules", "backfill", "berlin:nightly", .. op]);
        Assert.Equal(2, usage.Code);
        Assert.Contains("--from", usage.Err, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Out, string Err)> CliAsync(string[] args)
    {
        await using var process = VirtFlowProcess.Start(args);
        var code = await process.WaitForExitAsync(Wait);
        return (code, process.Stdout, process.Stderr);
    }
}
