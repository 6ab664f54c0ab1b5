using System.Net;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using Xunit.Abstractions;
using static VirtFlow.Api.Tests.Instances.InstanceWorkflows;

namespace VirtFlow.Api.Tests.Instances;

/// <summary><c>GET /api/instances</c>: filters and keyset paging done by the store, newest first; a bad value is 400 naming its parameter.</summary>
[Collection(ApiCollection.Name)]
public sealed class When_instances_are_listed_over_http(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private static string[] Ids(JsonObject page) => [.. page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];

    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task Filters_narrow_the_list_and_the_cursor_pages_through_it_newest_first(string kind)
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output, workflows: All);
        var a = await StartAsync(api.Operator, "web1", "h1");
        var b = await StartAsync(api.Operator, "web2", "h1");
        var c = await StartAsync(api.Operator, "web1", "h2");
        var d = await StartAsync(api.Operator, "db1", "h2");
        Assert.Equal(HttpStatusCode.OK, (await api.Operator.PostAsync($"/api/instances/{d}/cancel", null)).StatusCode);

        var all = await GetJsonAsync(api.Viewer, "/api/instances");
        Assert.Equal([d, c, b, a], Ids(all));
        Assert.Null(all["nextCursor"]);
        var first = all["items"]![0]!;
        Assert.Equal(("gated", 1, "cancelled", "db1", "h2"), (first["workflow"]!.GetValue<string>(), first["version"]!.GetValue<int>(),
            first["status"]!.GetValue<string>(), first["vm"]!.GetValue<string>(), first["host"]!.GetValue<string>()));

        Assert.Equal([c, a], Ids(await GetJsonAsync(api.Viewer, "/api/instances?vm=web1")));
        Assert.Equal([b, a], Ids(await GetJsonAsync(api.Viewer, "/api/instances?host=h1")));
        Assert.Equal([d], Ids(await GetJsonAsync(api.Viewer, "/api/instances?status=cancelled")));
        Assert.Equal([c, b, a], Ids(await GetJsonAsync(api.Viewer, "/api/instances?status=Suspended&workflow=gated")));
        Assert.Empty(Ids(await GetJsonAsync(api.Viewer, "/api/instances?workflow=other")));
        var created = (await api.Server.Engine.GetInstanceAsync(c))!.CreatedAt;
        Assert.Equal([d, c], Ids(await GetJsonAsync(api.Viewer, $"/api/instances?since={Uri.EscapeDataString(created.ToString("O"))}")));
        Assert.DoesNotContain(c, Ids(await GetJsonAsync(api.Viewer, $"/api/instances?until={Uri.EscapeDataString(created.ToString("O"))}")));

        var seen = new List<string>();
        var page = await GetJsonAsync(api.Viewer, "/api/instances?limit=3");
        seen.AddRange(Ids(page));
        Assert.Equal(3, seen.Count);
        var next = page["nextCursor"]!.GetValue<string>();
        page = await GetJsonAsync(api.Viewer, $"/api/instances?limit=3&cursor={Uri.EscapeDataString(next)}");
        seen.AddRange(Ids(page));
        Assert.Null(page["nextCursor"]);
        Assert.Equal([d, c, b, a], seen);
    }

    [Theory]
    [InlineData("status=bogus", "status", "'bogus' is not a status (one of running, suspended, completed, faulted, cancelled)")]
    [InlineData("status=1", "status", "'1' is not a status")]
    [InlineData("limit=0", "limit", "'0' is not a page size from 1 to 500")]
    [InlineData("limit=501", "limit", "'501' is not a page size from 1 to 500")]
    [InlineData("limit=ten", "limit", "'ten' is not a page size")]
    [InlineData("since=yesterday", "since", "'yesterday' is not a time")]
    [InlineData("until=2026-13-01", "until", "'2026-13-01' is not a time")]
    [InlineData("since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", "until", "'until' must be later than 'since'")]
    [InlineData("cursor=garbage!", "cursor", "not a cursor this API returned")]
    public async Task A_bad_parameter_is_400_naming_it(string query, string parameter, string message)
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, workflows: All);

        var problem = await Problems.AssertAsync(await api.Viewer.GetAsync("/api/instances?" + query), HttpStatusCode.BadRequest);

        Assert.StartsWith(message, problem["errors"]![parameter]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(parameter + ": ", Problems.Detail(problem), StringComparison.Ordinal);
    }
}
