using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Client;
using VirtFlow.Hosting.Engine;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Server;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Hosting.Tests.Security;

/// <summary>
/// A server with its own narrow user, an instance waiting for host h1's answer, and forged answers with valid logins: one
/// without <c>user_id</c>, one from h2's worker claiming to be host h1. Both are dropped with one log line each and the
/// instance keeps waiting; h1's worker's own answer then resumes it. (On the old main the first forged answer completed
/// the instance.)
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class When_a_host_event_is_forged(BrokerFixture broker, ITestOutputHelper output)
{
    private const string AskH1 = """
        name: ask-h1
        steps:
          - id: query
            type: message.send
            with:
              destination: h1
              messageType: QueryVm
              payload: { vm: vm1 }
              waitForReply: true
              replyTimeout: 2m
        outputs:
          answer: ${ steps.query.outputs.reply.resultJson }
        """;

    [Fact]
    public async Task A_result_without_user_id_or_from_another_hosts_worker_is_dropped_and_logged_and_the_real_one_resumes_the_instance()
    {
        var warnings = new ConcurrentQueue<string>();
        var dir = TestDirs.Create("workflows");
        await File.WriteAllTextAsync(Path.Combine(dir, "ask-h1.yaml"), AskH1);
        var workflows = new WorkflowLoader(VirtFlowActivities.CreateRegistry()).LoadDirectory(dir);
        await using var server = await VirtFlowServer.StartAsync(new VirtFlowServerOptions
        {
            StoreSpec = TestStore.Sqlite().Spec,
            Transport = BusTransport.RabbitMq(broker.Role("server")),
            Workflows = workflows,
            Logging = b => b.AddProvider(new TestOutputLoggerProvider(output, LogLevel.Information, warnings.Enqueue)),
        });
        var instanceId = Guid.NewGuid().ToString("N");
        await using (var client = await WorkflowStartClient.ConnectAsync(BusTransport.RabbitMq(broker.Role("client")), [], TimeSpan.FromSeconds(60)))
            await client.SendAsync(new StartWorkflow { MessageId = instanceId, Workflow = "ask-h1" }, TimeSpan.FromSeconds(30), CancellationToken.None);
        var command = await Eventually.Until(() => RawAmqp.GetAsync(broker.Admin, HostQueues.CommandQueue("h1")), TimeSpan.FromSeconds(60), "the command for h1");
        var commandId = JsonNode.Parse(command)!["message"]!["commandId"]!.GetValue<string>();

        CommandResult Answer(string id) => new()
        {
            EventId = $"h1/result/{commandId}/{id}", HostId = "h1", At = DateTimeOffset.UtcNow, CommandId = commandId, Vm = "vm1",
            Success = true, CommandType = "QueryVm", ResultJson = $$"""{"by":"{{id}}"}""",
        };
        await using (var anonymous = await ForgerBus.StartAsync(broker.Role("worker-h2"), setUserId: false))
            await anonymous.PublishAsync(Answer("anonymous"));
        await using (var otherHost = await ForgerBus.StartAsync(broker.Role("worker-h2"), setUserId: true))
            await otherHost.PublishAsync(Answer("h2"));

        await Eventually.Until(() => Task.FromResult(warnings.Count(w => w.Contains("dropped: sent by RabbitMQ user", StringComparison.Ordinal)) >= 2),
            TimeSpan.FromSeconds(60), "two dropped forgeries in the log");
        Assert.Contains(warnings, w => w.Contains($"for host h1 dropped: sent by RabbitMQ user (none), not by that host's worker virtflow-worker-h1", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains($"for host h1 dropped: sent by RabbitMQ user virtflow-worker-h2, not by that host's worker virtflow-worker-h1", StringComparison.Ordinal));
        Assert.Equal(InstanceStatus.Suspended, (await server.Engine.GetInstanceAsync(instanceId))!.Status);

        await using (var h1 = await ForgerBus.StartAsync(broker.Role("worker-h1"), setUserId: true))
            await h1.PublishAsync(Answer("h1"));
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var instance = await server.Engine.WaitForCompletionAsync(instanceId, done.Token);
        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        Assert.Equal("""{"by":"h1"}""", instance.Output!["answer"]!.GetValue<string>());
    }
}
