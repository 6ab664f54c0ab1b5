using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Auth;

/// <summary>
/// <c>GET /api/me</c> on a real server: each key gets its own name and role (the designer hides what the role cannot
/// do from it); without a key, or with an unknown one, 401.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_caller_asks_who_it_is(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Each_key_gets_its_name_and_role_and_no_key_gets_401()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);

        foreach (var (client, role) in new[] { (api.Viewer, "viewer"), (api.Operator, "operator"), (api.Admin, "admin") })
        {
            var response = await client.GetAsync("/api/me");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var me = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("test-" + role, me["name"]!.GetValue<string>());
            Assert.Equal(role, me["role"]!.GetValue<string>());
        }

        await Problems.AssertAsync(await api.Anonymous.GetAsync("/api/me"), HttpStatusCode.Unauthorized);
        await Problems.AssertAsync(await api.NewClient("vf_not-a-key").GetAsync("/api/me"), HttpStatusCode.Unauthorized);
    }
}
