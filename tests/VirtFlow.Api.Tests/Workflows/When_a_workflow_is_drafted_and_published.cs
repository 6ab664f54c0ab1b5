using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Workflows;

/// <summary>
/// The workflow catalog over HTTP on a real server (Kestrel, RabbitMQ, SQLite or PostgreSQL): the folder's workflow is
/// version 1; a draft needs the ETag of the last read (none: 428, stale: 409 with the current one); publishing makes
/// version 2 while an instance started on version 1 finishes on version 1; versions, diff; a draft with errors is saved
/// with its diagnostics but not published (422).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_workflow_is_drafted_and_published(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task A_stale_etag_gets_409_and_publish_makes_the_next_version_while_a_running_instance_keeps_its_own(string kind)
    {
        var store = await ApiStores.CreateAsync(kind, postgres);
        await using var api = await ApiServer.StartAsync(rabbit.Server, store, output, workflows: ("approval.yaml", CatalogWorkflows.ApprovalV1));

        // The folder's workflow is version 1 of the catalog.
        var list = await api.Viewer.GetFromJsonAsync<JsonArray>("/api/workflows");
        var listed = Assert.Single(list!)!;
        Assert.Equal("approval", listed["name"]!.GetValue<string>());
        Assert.Equal(1, listed["publishedVersion"]!.GetValue<int>());
        Assert.Equal([1], listed["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()));

        var read = await api.Viewer.GetAsync("/api/workflows/approval");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"v1\"", read.Headers.ETag!.ToString());
        var document = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(CatalogWorkflows.ApprovalV1, document["yaml"]!.GetValue<string>());
        Assert.Equal("published", document["kind"]!.GetValue<string>());
        var steps = document["steps"]!.AsArray();
        Assert.Equal(["approval", "note"], steps.Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal(["waitEvent", "script"], steps.Select(s => s!["type"]!.GetValue<string>()));
        Assert.Equal((6, 5), (steps[0]!["line"]!.GetValue<int>(), steps[0]!["column"]!.GetValue<int>()));
        var input = Assert.Single(document["inputs"]!.AsArray())!;
        Assert.Equal(("approver", "string", true), (input["name"]!.GetValue<string>(), input["type"]!.GetValue<string>(), input["required"]!.GetValue<bool>()));

        // An instance on version 1, waiting for its approval.
        var (code, started, stderr) = await VirtFlowProcess.RunAsync(Wait, "start", "approval", "--rabbitmq", rabbit.Server.AmqpUri.ToString(), "--input", "approver=alice");
        Assert.True(code == 0, $"exit {code}: {stderr}");
        var id = started.Trim();
        await using var db = await store.OpenAsync();
        await Eventually.Until(async () => (await db.GetInstanceAsync(id))?.Status == InstanceStatus.Suspended, Wait, $"instance {id} waits for its approval");

        // A draft needs the ETag of the last read.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Operator.PutAsync("/api/workflows/approval/draft", Yaml(CatalogWorkflows.ApprovalV2))).StatusCode);
        var missing = await Problems.AssertAsync(await api.Admin.PutAsync("/api/workflows/approval/draft", Yaml(CatalogWorkflows.ApprovalV2)), HttpStatusCode.PreconditionRequired);
        Assert.Contains("If-Match", Problems.Detail(missing), StringComparison.Ordinal);
        var saved = await SaveDraftAsync(api, "approval", CatalogWorkflows.ApprovalV2, "\"v1\"");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var draft = (await saved.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(draft["valid"]!.GetValue<bool>());
        var draftETag = saved.Headers.ETag!.ToString();
        Assert.Equal(draftETag, "\"" + draft["eTag"]!.GetValue<string>() + "\"");
        Assert.Equal("test-admin", draft["savedBy"]!.GetValue<string>());

        // Someone else still holding v1 loses: 409 with the current ETag and version.
        var stale = await Problems.AssertAsync(await SaveDraftAsync(api, "approval", "name: approval\nsteps: []\n", "\"v1\""), HttpStatusCode.Conflict);
        Assert.Equal(draftETag, stale["currentETag"]!.GetValue<string>());
        Assert.Equal(1, stale["publishedVersion"]!.GetValue<int>());
        Assert.Contains("If-Match", Problems.Detail(stale), StringComparison.Ordinal);

        // The draft is what a read shows now, with its ETag; version 1 is unchanged.
        var afterSave = await api.Viewer.GetAsync("/api/workflows/approval");
        Assert.Equal(draftETag, afterSave.Headers.ETag!.ToString());
        Assert.Equal(CatalogWorkflows.ApprovalV2, (await afterSave.Content.ReadFromJsonAsync<JsonObject>())!["yaml"]!.GetValue<string>());
        Assert.Equal(CatalogWorkflows.ApprovalV1, (await api.Viewer.GetFromJsonAsync<JsonObject>("/api/workflows/approval/versions/1"))!["yaml"]!.GetValue<string>());

        // Publish: version 2.
        var publish = await api.Admin.PostAsync("/api/workflows/approval/publish", null);
        Assert.True(publish.StatusCode == HttpStatusCode.Created, await publish.Content.ReadAsStringAsync());
        var published = (await publish.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, published["version"]!.GetValue<int>());
        Assert.Equal(Hash(CatalogWorkflows.ApprovalV2), published["definitionHash"]!.GetValue<string>());
        Assert.Equal("\"v2\"", publish.Headers.ETag!.ToString());
        Assert.Equal(CatalogWorkflows.ApprovalV2, (await api.Viewer.GetFromJsonAsync<JsonObject>("/api/workflows/approval/versions/2"))!["yaml"]!.GetValue<string>());
        await Problems.AssertAsync(await api.Viewer.GetAsync("/api/workflows/approval/versions/3"), HttpStatusCode.NotFound);

        // The instance in flight finishes on version 1; a new start runs version 2.
        await api.Server.Engine.PublishEventAsync(new EventEnvelope(Guid.NewGuid().ToString("N"), "event:approved:alice", new JsonObject()));
        var done = await Eventually.Until(async () => await db.GetInstanceAsync(id) is { IsFinal: true } i ? i : null, Wait, $"instance {id} ends");
        Assert.Equal(InstanceStatus.Completed, done.Status);
        Assert.Equal("first", done.Output!["ranAs"]!.GetValue<string>());
        Assert.Equal((1, Hash(CatalogWorkflows.ApprovalV1)), (done.WorkflowVersion, done.DefinitionHash));

        var (code2, second, stderr2) = await VirtFlowProcess.RunAsync(Wait, "start", "approval", "--rabbitmq", rabbit.Server.AmqpUri.ToString(), "--input", "approver=bob");
        Assert.True(code2 == 0, $"exit {code2}: {stderr2}");
        var next = await Eventually.Until(async () => await db.GetInstanceAsync(second.Trim()) is { Status: InstanceStatus.Suspended } i ? i : null, Wait, "the second instance waits");
        Assert.Equal((2, Hash(CatalogWorkflows.ApprovalV2)), (next.WorkflowVersion, next.DefinitionHash));

        // The diff of 1 and 2: the changed line, and the steps changed and added.
        var diff = (await api.Viewer.GetFromJsonAsync<JsonObject>("/api/workflows/approval/diff?from=1&to=2"))!;
        var unified = diff["unified"]!.GetValue<string>();
        Assert.StartsWith("--- approval.yaml v1\n+++ approval.yaml v2\n@@ -", unified, StringComparison.Ordinal);
        Assert.Contains("\n-    with: { code: \"return 'first';\" }\n+    with: { code: \"return 'second';\" }\n", unified, StringComparison.Ordinal);
        Assert.Contains("\n+  - id: audit\n", unified, StringComparison.Ordinal);
        Assert.Equal(["audit"], diff["steps"]!["added"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Empty(diff["steps"]!["removed"]!.AsArray());
        Assert.Equal(["note"], diff["steps"]!["changed"]!.AsArray().Select(s => s!.GetValue<string>()));
        var back = (await api.Viewer.GetFromJsonAsync<JsonObject>("/api/workflows/approval/diff?from=2&to=1"))!;
        Assert.Equal(["audit"], back["steps"]!["removed"]!.AsArray().Select(s => s!.GetValue<string>()));
        await Problems.AssertAsync(await api.Viewer.GetAsync("/api/workflows/approval/diff?from=1"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_draft_with_errors_is_saved_with_its_diagnostics_but_not_published()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output,
            workflows: ("approval.yaml", CatalogWorkflows.ApprovalV1));
        var broken = CatalogWorkflows.ApprovalV1.Replace("type: script", "type: scrpt", StringComparison.Ordinal);

        var saved = await SaveDraftAsync(api, "approval", broken, "\"v1\"");

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var draft = (await saved.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(draft["valid"]!.GetValue<bool>());
        var diagnostic = Assert.Single(draft["diagnostics"]!.AsArray(), d => d!["severity"]!.GetValue<string>() == "error")!;
        Assert.Equal((11, 11), (diagnostic["line"]!.GetValue<int>(), diagnostic["column"]!.GetValue<int>()));
        Assert.Contains("scrpt", diagnostic["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var refused = await Problems.AssertAsync(await api.Admin.PostAsync("/api/workflows/approval/publish", null), HttpStatusCode.UnprocessableEntity);
        var reported = Assert.Single(refused["diagnostics"]!.AsArray(), d => d!["severity"]!.GetValue<string>() == "error")!;
        Assert.Equal((11, 11), (reported["line"]!.GetValue<int>(), reported["column"]!.GetValue<int>()));
        Assert.Contains("approval.yaml:11:11", Problems.Detail(refused), StringComparison.Ordinal);
        var workflow = (await api.Viewer.GetFromJsonAsync<JsonArray>("/api/workflows"))!.Single()!;
        Assert.Equal(1, workflow["publishedVersion"]!.GetValue<int>());
        Assert.Equal(saved.Headers.ETag!.ToString(), "\"" + workflow["draft"]!["eTag"]!.GetValue<string>() + "\"");
    }

    [Fact]
    public async Task A_new_workflow_is_created_with_if_none_match_and_a_json_body_and_its_name_must_match()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);
        const string yaml = "name: fresh\nsteps:\n  - id: hello\n    type: log\n    with: { message: hi }\n";
        var create = new HttpRequestMessage(HttpMethod.Put, "/api/workflows/fresh/draft") { Content = JsonContent.Create(new { yaml }) };
        create.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);

        var created = await api.Admin.SendAsync(create);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var again = new HttpRequestMessage(HttpMethod.Put, "/api/workflows/fresh/draft") { Content = Yaml(yaml) };
        again.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        await Problems.AssertAsync(await api.Admin.SendAsync(again), HttpStatusCode.Conflict);
        var publish = await api.Admin.PostAsync("/api/workflows/fresh/publish", null);
        Assert.Equal(HttpStatusCode.Created, publish.StatusCode);

        var misnamed = await SaveDraftAsync(api, "fresh", yaml.Replace("name: fresh", "name: other", StringComparison.Ordinal), publish.Headers.ETag!.ToString());
        var diagnostics = (await misnamed.Content.ReadFromJsonAsync<JsonObject>())!["diagnostics"]!.AsArray();
        Assert.Contains(diagnostics, d => d!["message"]!.GetValue<string>().StartsWith("name: the workflow is called 'other'", StringComparison.Ordinal));
        await Problems.AssertAsync(await api.Admin.PostAsync("/api/workflows/fresh/publish", null), HttpStatusCode.UnprocessableEntity);
        var badName = await Problems.AssertAsync(await SaveDraftAsync(api, "no%20spaces", yaml, "\"v1\""), HttpStatusCode.BadRequest);
        Assert.Contains("name", badName["errors"]!.AsObject().Select(e => e.Key));
    }

    private static string Hash(string yaml) => WorkflowParser.Parse(yaml, "approval.yaml").Definition!.Hash;

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    private static Task<HttpResponseMessage> SaveDraftAsync(ApiServer api, string name, string yaml, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/workflows/{name}/draft") { Content = Yaml(yaml) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return api.Admin.SendAsync(request);
    }
}
