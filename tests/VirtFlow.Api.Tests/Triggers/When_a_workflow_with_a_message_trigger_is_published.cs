using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Triggers;

/// <summary>
/// Bindings follow the published versions: publishing a version whose trigger names another message type binds the new
/// queue and unbinds the old one (its queue stays, with no consumer), on the server it was published on and on another
/// server of the same store; <c>GET /api/triggers</c> lists what is bound.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_workflow_with_a_message_trigger_is_published(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Its_new_message_type_is_bound_and_the_old_one_unbound_on_every_server()
    {
        var store = await ApiStores.CreateAsync(ApiStores.Postgres, postgres);
        var v1 = TriggerWorkflows.Greet.Replace("messageType: Greet", "messageType: GreetOld", StringComparison.Ordinal);
        var v2 = TriggerWorkflows.Greet.Replace("messageType: Greet", "messageType: GreetNew", StringComparison.Ordinal);
        await using var a = await ApiServer.StartAsync(rabbit.Server, store, output, workflows: ("greet.yaml", v1));
        await using var b = await ApiServer.StartAsync(rabbit.Server, store, output, keys: false, workflows: ("greet.yaml", v1));
        await using var broker = await TriggerBroker.ConnectAsync(rabbit.Server.AmqpUri);
        Assert.Equal(2u, await broker.ConsumersAsync("virtflow.msg.GreetOld"));
        var listed = (await a.Viewer.GetFromJsonAsync<JsonObject>("/api/triggers"))!["triggers"]!.AsArray().Single()!;
        Assert.Equal("GreetOld", listed["messageType"]!.GetValue<string>());
        Assert.Equal(1, listed["version"]!.GetValue<int>());
        Assert.Equal("1h", listed["dedupeWindow"]!.GetValue<string>());

        var draft = new HttpRequestMessage(HttpMethod.Put, "/api/workflows/greet/draft") { Content = new StringContent(v2, Encoding.UTF8, "application/yaml") };
        draft.Headers.TryAddWithoutValidation("If-Match", "\"v1\"");
        Assert.Equal(HttpStatusCode.OK, (await a.Admin.SendAsync(draft)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await a.Admin.PostAsync("/api/workflows/greet/publish", null)).StatusCode);

        await Eventually.Until(async () => await broker.ConsumersAsync("virtflow.msg.GreetNew") == 2, TimeSpan.FromSeconds(30), "both servers consume GreetNew");
        await Eventually.Until(async () => await broker.ConsumersAsync("virtflow.msg.GreetOld") == 0, TimeSpan.FromSeconds(30), "no server consumes GreetOld");
        var now = (await a.Viewer.GetFromJsonAsync<JsonObject>("/api/triggers"))!["triggers"]!.AsArray().Single()!;
        Assert.Equal("GreetNew", now["messageType"]!.GetValue<string>());
        Assert.Equal(2, now["version"]!.GetValue<int>());

        await broker.PublishAsync("GreetNew", """{"vm":"web9"}""");
        var started = await Eventually.Until(async () => (await When_a_message_trigger_receives_plain_json.ListAsync(a, "greet")).SingleOrDefault(),
            TimeSpan.FromSeconds(30), "the instance started by GreetNew");
        Assert.Equal(2, started["version"]!.GetValue<int>());
    }
}
