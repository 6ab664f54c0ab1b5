using System.Net;
using System.Text;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Http;

/// <summary>
/// A body that is not the JSON an endpoint takes gets 400 problem details naming the field; a body over the limit gets
/// 413 problem details; headers over the limit are refused by Kestrel (431) before anything runs.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_request_is_malformed_or_too_large(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_field_of_the_wrong_type_is_a_400_naming_it_and_answers_are_camelCase()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);

        var wrongType = await Problems.AssertAsync(await PostAsync(api.Admin, "/api/keys", """{"name": 5, "role": "viewer"}"""), HttpStatusCode.BadRequest);
        Assert.Contains("$.name", Problems.Detail(wrongType), StringComparison.Ordinal);
        Assert.NotNull(wrongType["errors"]!["$.name"]);

        var notJson = await Problems.AssertAsync(await PostAsync(api.Admin, "/api/keys", """{"name": "x", "role": """), HttpStatusCode.BadRequest);
        Assert.Contains("$.role", Problems.Detail(notJson), StringComparison.Ordinal);

        var badRole = await Problems.AssertAsync(await PostAsync(api.Admin, "/api/keys", """{"name": "x", "role": "boss"}"""), HttpStatusCode.BadRequest);
        Assert.NotNull(badRole["errors"]!["role"]);

        var created = await PostAsync(api.Admin, "/api/keys", """{"name": "camel", "role": "viewer"}""");
        var body = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("\"createdAt\"", body, StringComparison.Ordinal);
        Assert.Contains("\"key\":\"vf_", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem_and_oversize_headers_are_refused()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output,
            o => o.Http!.MaxRequestBodyBytes = 4096);

        var big = """{"name": "big", "role": "viewer", "pad": """ + "\"" + new string('x', 10_000) + "\"}";
        var tooLarge = await Problems.AssertAsync(await PostAsync(api.Admin, "/api/keys", big), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("4096", Problems.Detail(tooLarge), StringComparison.Ordinal);

        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        await Problems.AssertAsync(await api.Admin.SendAsync(chunked), HttpStatusCode.RequestEntityTooLarge);

        using var headers = new HttpRequestMessage(HttpMethod.Get, "/api/keys");
        headers.Headers.Add("X-Padding", new string('h', 40_000));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await api.Admin.SendAsync(headers)).StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
}
