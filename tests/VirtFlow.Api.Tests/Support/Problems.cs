using System.Net;
using System.Text.Json.Nodes;

namespace VirtFlow.Api.Tests.Support;

/// <summary>Asserts on RFC 7807 answers.</summary>
public static class Problems
{
    /// <summary>Asserts <paramref name="response"/> is problem details with <paramref name="status"/>; returns the document.</summary>
    public static async Task<JsonObject> AssertAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body) as JsonObject ?? throw new InvalidOperationException("not a JSON object: " + body);
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        return problem;
    }

    /// <summary>The problem's detail.</summary>
    public static string Detail(JsonObject problem) => problem["detail"]?.GetValue<string>() ?? "";
}
