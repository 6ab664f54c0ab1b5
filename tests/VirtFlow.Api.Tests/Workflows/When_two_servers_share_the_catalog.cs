using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Workflows;

/// <summary>
/// Two real servers on one PostgreSQL database: the second's import of the same folder adds nothing; a draft saved on
/// one makes the other's stale ETag a 409; the same draft published on both at once becomes exactly one version.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_two_servers_share_the_catalog(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_stale_etag_loses_on_the_other_server_and_a_draft_published_on_both_at_once_is_one_version()
    {
        var store = await ApiStores.CreateAsync(ApiStores.Postgres, postgres);
        await using var a = await ApiServer.StartAsync(rabbit.Server, store, output, workflows: ("approval.yaml", CatalogWorkflows.ApprovalV1));
        await using var b = await ApiServer.StartAsync(rabbit.Server, store, output, keys: false, workflows: ("approval.yaml", CatalogWorkflows.ApprovalV1));
        var adminB = b.NewClient(await b.CreateKeyAsync("b-admin", "admin"));

        var listed = (await adminB.GetFromJsonAsync<JsonArray>("/api/workflows"))!.Single()!;
        Assert.Equal([1], listed["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()));

        var saved = await SaveAsync(a.Admin, CatalogWorkflows.ApprovalV2, "\"v1\"");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var stale = await Problems.AssertAsync(await SaveAsync(adminB, "name: approval\nsteps: []\n", "\"v1\""), HttpStatusCode.Conflict);
        Assert.Equal(saved.Headers.ETag!.ToString(), stale["currentETag"]!.GetValue<string>());
        Assert.Equal(saved.Headers.ETag!.ToString(), (await adminB.GetAsync("/api/workflows/approval")).Headers.ETag!.ToString());

        var both = await Task.WhenAll(a.Admin.PostAsync("/api/workflows/approval/publish", null), adminB.PostAsync("/api/workflows/approval/publish", null));

        Assert.Single(both, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Single(both, r => r.StatusCode == HttpStatusCode.Conflict);
        var workflow = (await a.Viewer.GetFromJsonAsync<JsonArray>("/api/workflows"))!.Single()!;
        Assert.Equal([1, 2], workflow["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()));
        Assert.Null(workflow["draft"]);
    }

    private static Task<HttpResponseMessage> SaveAsync(HttpClient client, string yaml, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/workflows/approval/draft") { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return client.SendAsync(request);
    }
}
