using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Triggers;

/// <summary>
/// A real server on RabbitMQ binds the message triggers of its published workflows; a plain AMQP client (no MassTransit)
/// publishes raw JSON to <c>virtflow.msg.{messageType}</c>: the fields become inputs (or the trigger's mapping computes
/// them), the AMQP correlation id (or the trigger's template) becomes the instance's, and the same message id, or the
/// same body without one, within the window starts nothing more, also on a second server of the same store.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_message_trigger_receives_plain_json(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task Its_fields_start_the_workflow_once_per_message_id_and_once_per_body_across_servers(string kind)
    {
        var store = await ApiStores.CreateAsync(kind, postgres);
        var type = "Greet";
        var yaml = TriggerWorkflows.Greet.Replace("messageType: Greet", $"messageType: {type}{kind}", StringComparison.Ordinal);
        type += kind;
        await using var api = await ApiServer.StartAsync(rabbit.Server, store, output, workflows: ("greet.yaml", yaml));
        await using var broker = await TriggerBroker.ConnectAsync(rabbit.Server.AmqpUri);

        await broker.PublishAsync(type, """{"vm":"web1","count":3}""", messageId: "order-1", correlationId: "change-42");
        var first = await Eventually.Until(async () => (await ListAsync(api, "greet")).SingleOrDefault(), Wait, "the instance started by the message");
        var instance = (await api.Viewer.GetFromJsonAsync<JsonObject>($"/api/instances/{first["id"]}"))!;
        Assert.Equal("change-42", instance["correlationId"]!.GetValue<string>());
        Assert.Equal("web1", instance["inputs"]!["vm"]!.GetValue<string>());
        Assert.Equal(3, instance["inputs"]!["count"]!.GetValue<int>());

        // The same message id again (another body), then a body without id twice, then on a second server of the store.
        await broker.PublishAsync(type, """{"vm":"web2"}""", messageId: "order-1");
        await broker.PublishAsync(type, """{"vm":"web3"}""");
        await broker.PublishAsync(type, """{"vm":"web3"}""");
        await Eventually.Until(async () => await CountsAsync(api, type) is { } c && c["accepted"]!.GetValue<long>() + c["duplicate"]!.GetValue<long>() == 4,
            Wait, "four messages counted");
        await using (var second = await ApiServer.StartAsync(rabbit.Server, store, output, keys: false, workflows: ("greet.yaml", yaml)))
        {
            await broker.PublishAsync(type, """{"vm":"web4"}""", messageId: "order-1");
            await Eventually.Until(async () => await CountsAsync(api, type) is { } c && c["duplicate"]!.GetValue<long>() == 3, Wait, "the third duplicate counted");
        }

        var all = await ListAsync(api, "greet");
        Assert.Equal(["web1", "web3"], all.Select(i => i["vm"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var counts = (await CountsAsync(api, type))!;
        Assert.Equal(2, counts["accepted"]!.GetValue<long>());
        Assert.Equal(0, counts["rejected"]!.GetValue<long>());
        Assert.Equal($"virtflow.msg.{type}", counts["queue"]!.GetValue<string>());
        Assert.Equal("greet", counts["workflow"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_triggers_mapping_computes_the_inputs_and_the_correlation_id_with_expressions()
    {
        var store = await ApiStores.CreateAsync(ApiStores.Sqlite, postgres);
        await using var api = await ApiServer.StartAsync(rabbit.Server, store, output, workflows: ("mapped.yaml", TriggerWorkflows.Mapped));
        await using var broker = await TriggerBroker.ConnectAsync(rabbit.Server.AmqpUri);

        await broker.PublishAsync("MoveVm", """{"vmName":"db1","site":"fra","ticket":"CHG-7"}""", correlationId: "ignored-when-the-trigger-has-one");

        var item = await Eventually.Until(async () => (await ListAsync(api, "mapped")).SingleOrDefault(), Wait, "the instance started by MoveVm");
        var instance = (await api.Viewer.GetFromJsonAsync<JsonObject>($"/api/instances/{item["id"]}"))!;
        Assert.Equal("db1", instance["inputs"]!["vm"]!.GetValue<string>());
        Assert.Equal("fra-h1", instance["inputs"]!["host"]!.GetValue<string>());
        Assert.Equal("CHG-7", instance["correlationId"]!.GetValue<string>());
    }

    internal static async Task<IReadOnlyList<JsonNode>> ListAsync(ApiServer api, string workflow) =>
        (await api.Viewer.GetFromJsonAsync<JsonObject>($"/api/instances?workflow={workflow}"))!["items"]!.AsArray().OfType<JsonNode>().ToList();

    internal static async Task<JsonNode?> CountsAsync(ApiServer api, string messageType) =>
        (await api.Viewer.GetFromJsonAsync<JsonObject>("/api/triggers"))!["triggers"]!.AsArray()
            .FirstOrDefault(t => t!["messageType"]!.GetValue<string>() == messageType);
}
