using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Triggers;

/// <summary>
/// Messages a trigger cannot start anything from (not JSON, not an object, an unknown field, a wrong type, a missing
/// required input, over the size limit) end in <c>virtflow.msg.{messageType}_error</c>, each with its reason in the
/// <c>virtflow-reason</c> header and no stack trace, are counted as rejected, and start no instance.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_message_cannot_start_anything(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task It_ends_in_the_error_queue_with_the_reason_and_starts_nothing()
    {
        var store = await ApiStores.CreateAsync(ApiStores.Sqlite, postgres);
        var yaml = TriggerWorkflows.Greet.Replace("messageType: Greet", "messageType: GreetBad", StringComparison.Ordinal);
        await using var api = await ApiServer.StartAsync(rabbit.Server, store, output, configure: o =>
        {
            o.MessageTriggers.MaxMessageBytes = 200;
            o.MessageTriggers.ConcurrentMessages = 1;
        }, workflows: ("greet.yaml", yaml));
        await using var broker = await TriggerBroker.ConnectAsync(rabbit.Server.AmqpUri);
        var cases = new (string Body, string Reason)[]
        {
            ("""{"vm": "web1",""", "not valid JSON"),
            ("""["web1"]""", "must be a JSON object, not an array"),
            ("""{"vm":"web1","colour":"red"}""", "unknown field 'colour': workflow 'greet' takes 'count', 'vm'"),
            ("""{"vm":"web1","count":"three"}""", "count"),
            ("""{"count":2}""", "vm"),
            ($$"""{"vm":"{{new string('x', 300)}}"}""", "more than the limit of 200 (VirtFlow:Server:MessageTriggers:MaxMessageBytes)"),
        };

        foreach (var (body, _) in cases) await broker.PublishAsync("GreetBad", body);

        foreach (var (body, reason) in cases)
        {
            var (errorBody, headers) = await Eventually.Until(async () => await broker.GetAsync("virtflow.msg.GreetBad_error") is { } got ? Tuple.Create(got.Body, got.Headers) : null,
                TimeSpan.FromSeconds(30), $"the rejected message {body[..Math.Min(body.Length, 30)]} in the error queue") switch { var t => (t.Item1, t.Item2) };
            Assert.Equal(body, errorBody);
            Assert.Contains(reason, headers["virtflow-reason"], StringComparison.Ordinal);
            Assert.DoesNotContain("MT-Fault-StackTrace", headers.Keys);
            output.WriteLine($"{body[..Math.Min(body.Length, 40)]} → {headers["virtflow-reason"]}");
        }
        var counts = (await When_a_message_trigger_receives_plain_json.CountsAsync(api, "GreetBad"))!;
        Assert.Equal(6, counts["rejected"]!.GetValue<long>());
        Assert.Equal(0, counts["accepted"]!.GetValue<long>());
        Assert.Empty(await When_a_message_trigger_receives_plain_json.ListAsync(api, "greet"));
    }
}
