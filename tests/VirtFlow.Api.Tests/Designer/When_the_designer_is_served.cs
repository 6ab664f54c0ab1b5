using System.Net;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Http.Designer;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Designer;

/// <summary>
/// <c>virtflow server</c> serves the built designer at <c>/</c> without a key, with strict security headers, the app's page
/// for its own routes, hashed assets cached for a year; the API keeps its keys; <c>off</c> serves nothing.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_the_designer_is_served(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private const string Index = "<!doctype html><html><body><div id=\"root\"></div><script type=\"module\" src=\"/assets/index-Ab12Cd34.js\"></script></body></html>";

    private static string BuiltDesigner()
    {
        var dir = TestDirs.Create("designer-dist");
        Directory.CreateDirectory(Path.Combine(dir, "assets"));
        File.WriteAllText(Path.Combine(dir, "index.html"), Index);
        File.WriteAllText(Path.Combine(dir, "assets", "index-Ab12Cd34.js"), "console.log('designer');");
        File.WriteAllText(Path.Combine(dir, "favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(dir)!, "secret.txt"), "not for the browser");
        return dir;
    }

    [Fact]
    public async Task Its_files_are_open_with_strict_headers_its_routes_get_the_page_and_the_api_keeps_its_keys()
    {
        var dist = BuiltDesigner();
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output,
            configure: o => o.Http!.Designer = dist);

        using var page = await api.Anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Index, await page.Content.ReadAsStringAsync());
        var csp = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(DesignerHeaders.ContentSecurityPolicy, csp);
        var scripts = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.Equal("script-src 'self'", scripts);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(page.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(page.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        Assert.NotNull(page.Headers.ETag);

        // The app's own routes (a reload of /instances/ID) get its page; the browser routes.
        foreach (var route in new[] { "/instances/abc", "/workflows/copy-disks-pivot/edit", "/hosts" })
        {
            using var deep = await api.Anonymous.GetAsync(route);
            Assert.Equal(HttpStatusCode.OK, deep.StatusCode);
            Assert.Equal(Index, await deep.Content.ReadAsStringAsync());
        }

        using var asset = await api.Anonymous.GetAsync("/assets/index-Ab12Cd34.js");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DesignerHeaders.ImmutableCache, asset.Headers.CacheControl?.ToString());
        using var icon = await api.Anonymous.GetAsync("/favicon.svg");
        Assert.Equal("no-cache", icon.Headers.CacheControl?.ToString());
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);

        // A file the build does not have is 404 (not the page, not a 401), and nothing outside the folder is served.
        using var missing = await api.Anonymous.GetAsync("/assets/index-Zz99.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var outside = await api.Anonymous.GetAsync("/%2e%2e/secret.txt");
        Assert.NotEqual(HttpStatusCode.OK, outside.StatusCode);
        Assert.DoesNotContain("not for the browser", await outside.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The API keeps its keys: no key 401, a key its answer; an unknown API path is the API's 404 problem, not the page.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous.GetAsync("/api/workflows")).StatusCode);
        // The OpenAPI document is open by design (it describes the API, docs/openapi.json): the document, not the page.
        using var openapi = await api.Anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal("application/json", openapi.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"openapi\"", await openapi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.Viewer.GetAsync("/api/workflows")).StatusCode);
        using var unknown = await api.Viewer.GetAsync("/api/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        // Only reads are served from the files: a POST to / goes to the API (which wants a key).
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous.PostAsync("/", new StringContent(""))).StatusCode);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("missing")]
    public async Task Off_or_an_unbuilt_folder_serves_no_designer_and_the_server_still_starts(string setting)
    {
        var designer = setting == "off" ? "off" : Path.Combine(TestDirs.Create("designer-unbuilt"), "dist");
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output,
            configure: o => o.Http!.Designer = designer);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous.GetAsync("/healthz")).StatusCode);
    }
}
