using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Schedules;

/// <summary>
/// Registration follows the catalog: publishing a version that adds a schedule registers it with Quartz (it appears with
/// its next firing), and publishing one that drops it removes it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_version_with_a_schedule_is_published(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private const string Without = """
        name: report
        version: 1
        steps:
          - type: log
            with: { message: report }
        """;

    private const string With = """
        name: report
        version: 1
        triggers:
          - type: schedule
            id: hourly
            cron: "0 0 * * * ?"
        steps:
          - type: log
            with: { message: report }
        """;

    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task The_schedule_is_registered_on_publish_and_removed_when_a_later_version_drops_it(string kind)
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output, workflows: [("report.yaml", Without)]);
        Assert.Empty(await ItemsAsync(api));

        await PublishAsync(api.Admin, With);
        var registered = await Eventually.Until(async () => (await ItemsAsync(api)).FirstOrDefault(s => s["nextFiring"] is not null), TimeSpan.FromSeconds(30), "report:hourly registered");
        Assert.Equal("report:hourly", registered["id"]!.GetValue<string>());
        Assert.Equal(0, registered["nextFiring"]!.GetValue<DateTimeOffset>().Minute);

        await PublishAsync(api.Admin, Without);
        Assert.Empty(await ItemsAsync(api));
        var scheduler = (VirtFlow.Hosting.Schedules.VirtFlowScheduler)api.Server.Services.GetService(typeof(VirtFlow.Hosting.Schedules.VirtFlowScheduler))!;
        await Eventually.Until(async () => await scheduler.NextFiringAsync("report:hourly", CancellationToken.None) is null, TimeSpan.FromSeconds(30), "report:hourly removed from Quartz");
    }

    private static async Task<List<JsonObject>> ItemsAsync(ApiServer api) =>
        [.. (await api.Viewer.GetFromJsonAsync<JsonObject>("/api/schedules"))!["items"]!.AsArray().Select(i => i!.AsObject())];

    private static async Task PublishAsync(HttpClient admin, string yaml)
    {
        var read = await admin.GetAsync("/api/workflows/report");
        var draft = new HttpRequestMessage(HttpMethod.Put, "/api/workflows/report/draft") { Content = new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml") };
        draft.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.ToString());
        var saved = await admin.SendAsync(draft);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var publish = await admin.PostAsync("/api/workflows/report/publish", null);
        Assert.True(publish.StatusCode == HttpStatusCode.Created, await publish.Content.ReadAsStringAsync());
    }
}
