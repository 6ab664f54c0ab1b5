using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Docs;

/// <summary>
/// <c>/openapi/v1.json</c> needs a viewer key, declares the API-key scheme, and equals the committed
/// <c>docs/openapi.json</c>; the Scalar page at <c>/api/docs</c> is served without a key and loads that document.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_the_openapi_document_is_read(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    /// <summary>Set to 1 to rewrite <c>docs/openapi.json</c> from the served document.</summary>
    public const string UpdateVariable = "VIRTFLOW_UPDATE_OPENAPI";

    private static string CommittedPath => Path.Combine(TestDirs.RepoRoot, "docs", "openapi.json");

    [Fact]
    public async Task The_served_document_equals_docs_openapi_json()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);
        var served = Normalize(await api.Viewer.GetStringAsync("/openapi/v1.json"));

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1") await File.WriteAllTextAsync(CommittedPath, served);

        var committed = File.Exists(CommittedPath) ? await File.ReadAllTextAsync(CommittedPath) : "(missing)";
        Assert.True(committed == served,
            $"docs/openapi.json differs from the document the server serves (an endpoint was added or changed). Regenerate it: "
            + $"{UpdateVariable}=1 dotnet test tests/VirtFlow.Api.Tests -c Release --filter \"FullyQualifiedName~When_the_openapi_document_is_read\", "
            + "then review and commit docs/openapi.json.");
    }

    [Fact]
    public async Task It_needs_a_viewer_key_and_declares_the_api_key_scheme_and_the_docs_page_is_open()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);

        await Problems.AssertAsync(await api.Anonymous.GetAsync("/openapi/v1.json"), HttpStatusCode.Unauthorized);
        var document = JsonNode.Parse(await api.Viewer.GetStringAsync("/openapi/v1.json"))!;
        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", scheme["name"]!.GetValue<string>());
        Assert.NotNull(document["paths"]!["/api/audit"]);

        var page = await api.Anonymous.GetAsync("/api/docs");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode}: {html}");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        // Scalar resolves it against the server's root: /openapi/v1.json
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous.GetAsync("/api/docs/scalar.js")).StatusCode);
    }

    /// <summary>The document indented the same way whatever the server's formatting, with a final newline.</summary>
    internal static string Normalize(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .ReplaceLineEndings("\n") + "\n";
}
