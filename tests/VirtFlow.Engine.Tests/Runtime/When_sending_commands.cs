using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

public sealed class When_sending_commands
{
    private const string SendAndWait = """
        name: send
        steps:
          - id: ask
            type: message.send
            with:
              destination: host-1
              messageType: QueryJobs
              payload: { vm: vm-42 }
              waitForReply: true
              replyTimeout: 30s
        outputs:
          jobs: ${ steps.ask.outputs.reply.jobs }
          commandId: ${ steps.ask.outputs.commandId }
        """;

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_command_goes_through_the_outbox_and_its_reply_resumes_the_step(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        var received = new List<OutboxMessage>();
        host.Transport.Register("host-1", async (message, ct) =>
        {
            received.Add(message);
            await host.Engine.PublishEventAsync(new EventEnvelope("reply-" + message.Id, "reply:" + message.Id, new JsonObject { ["jobs"] = 2 }), ct);
        });

        var instance = await host.RunAsync(SendAndWait);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        var command = Assert.Single(received);
        Assert.Equal("QueryJobs", command.MessageType);
        Assert.Equal("vm-42", command.Payload["vm"]!.GetValue<string>());
        Assert.Equal($"{instance.Id}:ask:1:1", command.Id);
        Assert.Equal(command.Id, instance.Output!["commandId"]!.GetValue<string>());
        Assert.Equal(2, JsonInt.Of(instance.Output!["jobs"]));
        Assert.Empty(await host.Store.GetPendingOutboxAsync(10));
    }

    [Fact]
    public async Task A_missing_reply_times_out_clearly()
    {
        await using var host = await TestHost.CreateAsync("memory");
        host.Transport.Register("host-1", (_, _) => Task.CompletedTask);
        var instance = await host.RunAsync(SendAndWait);

        host.ManualClock.Advance(TimeSpan.FromSeconds(30));
        await host.Engine.ProcessDueTimersAsync();
        instance = await host.InstanceAsync(instance.Id);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.StartsWith("step 'ask': message.send QueryJobs to 'host-1': no reply within 30s", instance.Fault);
    }

    [Fact]
    public async Task A_failed_send_is_retried_with_backoff_by_the_outbox_sweep()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var calls = 0;
        host.Transport.Register("host-1", (_, _) => ++calls == 1 ? throw new IOException("broker unreachable") : Task.CompletedTask);
        var instance = await host.RunAsync("""
            name: fire-and-forget
            steps:
              - { id: tell, type: message.send, with: { destination: host-1, messageType: Thaw } }
            """);
        Assert.Equal(InstanceStatus.Completed, instance.Status);
        var pending = Assert.Single(await host.Store.GetPendingOutboxAsync(10));
        Assert.Equal(1, pending.Attempts);
        Assert.Equal("broker unreachable", pending.LastError);

        Assert.Equal(0, await host.Engine.DispatchPendingOutboxAsync());
        host.ManualClock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await host.Engine.DispatchPendingOutboxAsync());

        Assert.Equal(2, calls);
        Assert.Empty(await host.Store.GetPendingOutboxAsync(10));
    }

    [Fact]
    public async Task Without_a_transport_a_step_that_sends_faults_clearly()
    {
        await using var host = await TestHost.CreateAsync("memory", new HostSettings { NoTransport = true });
        var instance = await host.RunAsync("""
            name: no-transport
            steps:
              - { id: tell, type: message.send, with: { destination: host-1, messageType: Thaw } }
            """);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'tell' sends Thaw to 'host-1', but the engine has no outbox transport configured", instance.Fault);
    }
}
