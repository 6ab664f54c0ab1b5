using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Auth;

/// <summary>
/// On a real server (Kestrel on a free port, RabbitMQ, SQLite or PostgreSQL): <c>/healthz</c> is open; everything else
/// without a valid key gets 401, with a key of too weak a role 403, both as problem details; a key works in either header.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_request_carries_no_key_or_the_wrong_role(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task Healthz_is_open_no_key_is_401_a_bad_key_is_401_the_wrong_role_is_403(string kind)
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output);

        var health = await api.Anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", (await health.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());

        var none = await Problems.AssertAsync(await api.Anonymous.GetAsync("/api/keys"), HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", Problems.Detail(none), StringComparison.Ordinal);

        var bad = await Problems.AssertAsync(await api.NewClient("vf_not-a-key").GetAsync("/api/keys"), HttpStatusCode.Unauthorized);
        Assert.Contains("unknown, revoked or expired", Problems.Detail(bad), StringComparison.Ordinal);

        var forbidden = await Problems.AssertAsync(await api.Viewer.GetAsync("/api/audit"), HttpStatusCode.Forbidden);
        Assert.Equal("admin", forbidden["requiredRole"]!.GetValue<string>());
        Assert.Equal("viewer", forbidden["role"]!.GetValue<string>());
        await Problems.AssertAsync(await api.Operator.GetAsync("/api/keys"), HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.OK, (await api.Admin.GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.NewBearerClient(api.Keys["admin"]).GetAsync("/api/keys")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem_for_a_caller_and_a_401_for_anyone_else()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);

        await Problems.AssertAsync(await api.Viewer.GetAsync("/api/no-such-thing"), HttpStatusCode.NotFound);
        await Problems.AssertAsync(await api.Anonymous.GetAsync("/api/no-such-thing"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_on_the_server_that_revoked_it()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);
        var key = await api.CreateKeyAsync("short-lived", "viewer");
        var client = api.NewClient(key);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/nothing-here")).StatusCode);

        var revoke = await api.Admin.DeleteAsync("/api/keys/short-lived");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        await Problems.AssertAsync(await client.GetAsync("/api/nothing-here"), HttpStatusCode.Unauthorized);
    }
}
