using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Docs;

/// <summary>
/// <c>/openapi/v1.json</c> equals the committed <c>docs/openapi.json</c> and declares the API-key scheme; it and the
/// Scalar page at <c>/api/docs</c> that loads it are served without a key (a plain browser shows the API), while every
/// operation under <c>/api</c> still needs one.
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
        var served = Normalize(await api.Anonymous.GetStringAsync("/openapi/v1.json"));

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1") await File.WriteAllTextAsync(CommittedPath, served);

        var committed = File.Exists(CommittedPath) ? await File.ReadAllTextAsync(CommittedPath) : "(missing)";
        Assert.True(committed == served,
            $"docs/openapi.json differs from the document the server serves (an endpoint was added or changed). Regenerate it: "
            + $"{UpdateVariable}=1 dotnet test tests/VirtFlow.Api.Tests -c Release --filter \"FullyQualifiedName~When_the_openapi_document_is_read\", "
            + "then review and commit docs/openapi.json.");
    }

    [Fact]
    public async Task A_plain_browser_gets_the_page_and_the_document_without_a_key()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);
        using var browser = Browser(api);

        var page = await browser.GetAsync("/api/docs");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode}: {html}");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        // Scalar resolves it against the server's root: /openapi/v1.json
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/docs/scalar.js")).StatusCode);

        // What the page's script fetches next, as the browser does: no key, no cookie.
        var served = await browser.GetAsync("/openapi/v1.json");
        Assert.True(served.StatusCode == HttpStatusCode.OK, $"{(int)served.StatusCode}: {await served.Content.ReadAsStringAsync()}");
        var document = JsonNode.Parse(await served.Content.ReadAsStringAsync())!;
        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", scheme["name"]!.GetValue<string>());
        Assert.NotNull(document["paths"]!["/api/audit"]);
    }

    [Fact]
    public async Task Every_api_operation_still_needs_a_key()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);
        using var browser = Browser(api);
        var paths = JsonNode.Parse(await browser.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject();

        var operations = 0;
        foreach (var (path, item) in paths)
        {
            if (path == "/healthz") continue; // the one open operation
            Assert.StartsWith("/api/", path, StringComparison.Ordinal);
            var concrete = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", "x");
            foreach (var (method, _) in item!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "delete" or "patch"))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), concrete);
                if (method != "get") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                var response = await browser.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized,
                    $"{method.ToUpperInvariant()} {concrete} without a key: {(int)response.StatusCode}, expected 401");
                operations++;
            }
        }
        Assert.True(operations >= 20, $"only {operations} operations in the document");
        // And the same operations with a key are not refused for the lack of one.
        Assert.Equal(HttpStatusCode.OK, (await api.Viewer.GetAsync("/api/workflows")).StatusCode);
    }

    /// <summary>A client like a plain browser: no key, no cookie, an HTML Accept header.</summary>
    private static HttpClient Browser(ApiServer api)
    {
        var client = new HttpClient { BaseAddress = api.BaseAddress };
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
        return client;
    }

    /// <summary>The document indented the same way whatever the server's formatting, with a final newline.</summary>
    internal static string Normalize(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .ReplaceLineEndings("\n") + "\n";
}
