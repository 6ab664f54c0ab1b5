using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Engine.Definitions;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Workflows;

/// <summary>
/// <c>POST /api/validate</c> gives the very diagnostics <c>virtflow validate</c> prints (compared on a file with several
/// mistakes), within the parser's limits and the body limit; <c>GET /api/schema</c> gives the committed JSON Schema and the
/// activity catalog. A real server (Kestrel, RabbitMQ, SQLite) and the real <c>virtflow</c> process.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_workflow_text_is_checked(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Validate_returns_the_same_diagnostics_as_virtflow_validate_with_line_and_column()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);
        var file = Path.Combine(TestDirs.Create("validate"), "broken.yaml");
        await File.WriteAllTextAsync(file, CatalogWorkflows.Broken);

        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(TimeSpan.FromMinutes(2), "validate", file);
        var response = await api.Viewer.PostAsync("/api/validate?file=broken.yaml", new StringContent(CatalogWorkflows.Broken, Encoding.UTF8, "text/yaml"));

        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var cli = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Replace(file + ":", "", StringComparison.Ordinal)).ToList();
        var http = result["diagnostics"]!.AsArray()
            .Select(d => $"{d!["line"]}:{d["column"]}: {d["severity"]}: {d["message"]!.GetValue<string>()}").ToList();
        Assert.True(cli.Count >= 4, string.Join('\n', cli));
        Assert.Equal(cli, http);
        Assert.Equal(result["diagnostics"]!.AsArray().Select(d => d!["text"]!.GetValue<string>()), http.Select(h => "broken.yaml:" + h));
        Assert.False(result["valid"]!.GetValue<bool>());
        Assert.Equal(http.Count(h => h.Contains(": error: ", StringComparison.Ordinal)), result["errors"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_text_past_the_limits_is_refused_with_one_line_naming_the_limit()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output,
            configure: o => o.Limits = new WorkflowLimits { MaxFileBytes = 4096, MaxNodes = 100 });

        var tooBig = await api.Viewer.PostAsync("/api/validate", new StringContent("name: big\n# " + new string('x', 5000) + "\nsteps: []\n", Encoding.UTF8, "text/yaml"));
        var problem = await Problems.AssertAsync(tooBig, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("VIRTFLOW_MAX_FILE_BYTES", Problems.Detail(problem), StringComparison.Ordinal);

        var many = "name: many\nvariables:\n  list: [" + string.Join(", ", Enumerable.Range(0, 200)) + "]\nsteps: []\n";
        var nodes = (await (await api.Viewer.PostAsync("/api/validate", new StringContent(many, Encoding.UTF8, "text/yaml"))).Content.ReadFromJsonAsync<JsonObject>())!;
        var limit = Assert.Single(nodes["diagnostics"]!.AsArray())!;
        Assert.True(limit["limit"]!.GetValue<bool>());
        Assert.Contains("MaxNodes", limit["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await Problems.AssertAsync(await api.Viewer.PostAsync("/api/validate", new StringContent("<xml/>", Encoding.UTF8, "application/xml")), HttpStatusCode.UnsupportedMediaType);
        await Problems.AssertAsync(await api.Anonymous.PostAsync("/api/validate", new StringContent("name: x", Encoding.UTF8, "text/yaml")), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Schema_is_the_committed_json_schema_and_the_activity_catalog()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);

        var schema = (await api.Viewer.GetFromJsonAsync<JsonObject>("/api/schema"))!;

        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestDirs.RepoRoot, "workflows", "schema", "workflow.schema.json")));
        Assert.True(JsonNode.DeepEquals(committed, schema["schema"]), "GET /api/schema differs from workflows/schema/workflow.schema.json");
        var activities = schema["activities"]!.AsArray();
        var query = Assert.Single(activities, a => a!["type"]!.GetValue<string>() == "vm.query")!;
        Assert.False(string.IsNullOrWhiteSpace(query["description"]!.GetValue<string>()));
        var host = Assert.Single(query["inputs"]!.AsArray(), i => i!["name"]!.GetValue<string>() == "host")!;
        Assert.Equal("string", host["type"]!.GetValue<string>());
        Assert.Contains(query["inputs"]!.AsArray(), i => i!["required"]!.GetValue<bool>());
        Assert.False(string.IsNullOrWhiteSpace(host["description"]!.GetValue<string>()));
        Assert.NotEmpty(query["outputs"]!.AsArray());
        Assert.Contains(activities, a => a!["type"]!.GetValue<string>() == "script");
    }
}
