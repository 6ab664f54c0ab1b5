using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Api.Tests.Instances;

/// <summary>The workflows the instance tests serve, and small helpers for their requests.</summary>
internal static class InstanceWorkflows
{
    /// <summary>Waits for the event <c>go</c> correlated by its VM, then logs: an instance that stays suspended until told.</summary>
    public static (string File, string Text) GatedV1 => ("gated-v1.yaml", Gated(1));

    public static (string File, string Text) GatedV2 => ("gated-v2.yaml", Gated(2));

    /// <summary>What the folder serves: version 1 of the catalog (<see cref="PublishGatedV2Async"/> publishes version 2).</summary>
    public static (string File, string Text)[] All => [GatedV1];

    /// <summary>Publishes <see cref="GatedV2"/> through the API (draft with the ETag read, then publish); asserts version 2.</summary>
    public static async Task PublishGatedV2Async(HttpClient admin)
    {
        var read = await admin.GetAsync("/api/workflows/gated");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var draft = new HttpRequestMessage(HttpMethod.Put, "/api/workflows/gated/draft")
        {
            Content = new StringContent(GatedV2.Text, System.Text.Encoding.UTF8, "application/yaml"),
        };
        draft.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.ToString());
        var saved = await admin.SendAsync(draft);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var publish = await admin.PostAsync("/api/workflows/gated/publish", null);
        var body = await publish.Content.ReadAsStringAsync();
        Assert.True(publish.StatusCode == HttpStatusCode.Created, body);
        Assert.Equal(2, JsonNode.Parse(body)!["version"]!.GetValue<int>());
    }

    private static string Gated(int version) => $$"""
        name: gated
        version: {{version}}
        inputs:
          host: { type: string, default: local }
          vm: { type: string, required: true }
          count: { type: integer, default: 1 }
        steps:
          - id: wait
            type: waitEvent
            with:
              event: go
              correlation: ${ inputs.vm }
          - id: done
            type: log
            with:
              message: "go for ${ inputs.vm }"
        """;

    public static JsonObject Start(string vm, string host = "h1", string workflow = "gated") =>
        new() { ["workflow"] = workflow, ["inputs"] = new JsonObject { ["vm"] = vm, ["host"] = host } };

    /// <summary>POSTs a start; asserts 201 and returns the id.</summary>
    public static async Task<string> StartAsync(HttpClient client, string vm, string host = "h1")
    {
        var response = await client.PostAsJsonAsync("/api/instances", Start(vm, host));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    public static async Task<JsonObject> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }
}
