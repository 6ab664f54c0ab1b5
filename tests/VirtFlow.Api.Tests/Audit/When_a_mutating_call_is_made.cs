using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Audit;

/// <summary>
/// Every POST/PUT/PATCH/DELETE under <c>/api</c> by an authenticated caller is journaled (caller, method and route
/// pattern, route values, time, status; refusals too), and <c>GET /api/audit</c> (admin) reads it in pages.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_mutating_call_is_made(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task It_is_journaled_with_caller_action_target_and_outcome_and_read_back_in_pages(string kind)
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        Assert.Equal(HttpStatusCode.Created, (await api.Admin.PostAsJsonAsync("/api/keys", new { name = "ci", role = "operator" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Admin.DeleteAsync("/api/keys/ci")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Operator.PostAsJsonAsync("/api/keys", new { name = "sneaky", role = "admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous.PostAsJsonAsync("/api/keys", new { name = "anon", role = "admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Admin.GetAsync("/api/keys")).StatusCode);

        var page = await ReadAsync(api, "/api/audit");
        var items = page["items"]!.AsArray();
        Assert.Equal(3, items.Count);
        AssertEntry(items[0]!, "test-admin", "POST /api/keys", "", 201, before);
        AssertEntry(items[1]!, "test-admin", "DELETE /api/keys/{nameOrId}", "nameOrId=ci", 200, before);
        AssertEntry(items[2]!, "test-operator", "POST /api/keys", "", 403, before);
        Assert.Null(page["nextCursor"]);

        var first = await ReadAsync(api, "/api/audit?limit=2");
        Assert.Equal(2, first["items"]!.AsArray().Count);
        var cursor = first["nextCursor"]!.GetValue<string>();
        var second = await ReadAsync(api, $"/api/audit?limit=2&cursor={cursor}");
        Assert.Equal("test-operator", second["items"]!.AsArray().Single()!["actor"]!.GetValue<string>());
        Assert.Null(second["nextCursor"]);

        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"));
        Assert.Empty((await ReadAsync(api, $"/api/audit?since={since}"))["items"]!.AsArray());

        var bad = await Problems.AssertAsync(await api.Admin.GetAsync("/api/audit?limit=0"), HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["limit"]);
    }

    private static async Task<JsonObject> ReadAsync(ApiServer api, string path)
    {
        var response = await api.Admin.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return (JsonObject)JsonNode.Parse(body)!;
    }

    private static void AssertEntry(JsonNode entry, string actor, string action, string target, int status, DateTimeOffset after)
    {
        Assert.Equal(actor, entry["actor"]!.GetValue<string>());
        Assert.Equal(action, entry["action"]!.GetValue<string>());
        Assert.Equal(target, entry["target"]!.GetValue<string>());
        Assert.Equal(status, entry["status"]!.GetValue<int>());
        var at = entry["at"]!.GetValue<DateTimeOffset>();
        Assert.InRange(at, after, DateTimeOffset.UtcNow.AddSeconds(1));
    }
}
