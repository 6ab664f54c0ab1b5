using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;
using VirtFlow.Testing;

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
    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_sweep_that_read_a_message_while_its_first_send_was_in_flight_does_not_send_it_again(string store)
    {
        var reads = new HeldOutboxReads();
        await using var host = await TestHost.CreateAsync(store, new HostSettings { WrapStore = inner => new HeldOutboxReadStore(inner, reads) });
        var sends = 0;
        var sendGoesOn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Transport.Register("host-1", async (_, _) =>
        {
            if (Interlocked.Increment(ref sends) == 1) await sendGoesOn.Task;
        });

        // The run commits the message and sends it; that send hangs for now.
        var run = host.RunAsync("""
            name: tell
            steps:
              - { id: tell, type: message.send, with: { destination: host-1, messageType: Thaw } }
            """);
        await Eventually.Until(() => Task.FromResult(Volatile.Read(ref sends) == 1), TimeSpan.FromSeconds(10), "the first send began");

        // A sweep reads the message as pending, then the first send ends and marks it, then the sweep goes on.
        reads.Hold = true;
        var sweep = host.Engine.DispatchPendingOutboxAsync();
        var read = await reads.Read.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(read);
        sendGoesOn.SetResult();
        await Eventually.Until(async () => (await host.Store.GetPendingOutboxAsync(10)).Count == 0, TimeSpan.FromSeconds(10), "the first send marked it");
        reads.GoOn.SetResult();

        Assert.Equal(InstanceStatus.Completed, (await run.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal(0, await sweep.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, Volatile.Read(ref sends));
        Assert.Equal(0, await host.Engine.DispatchPendingOutboxAsync());
        Assert.Equal(1, Volatile.Read(ref sends));
    }

    /// <summary>When armed, the next outbox read is reported and held until the test lets it go on.</summary>
    private sealed class HeldOutboxReads
    {
        public volatile bool Hold;

        public TaskCompletionSource<IReadOnlyList<OutboxMessage>> Read { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource GoOn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class HeldOutboxReadStore(IWorkflowStore inner, HeldOutboxReads reads) : WorkflowStoreDecorator(inner)
    {
        public override async Task<IReadOnlyList<OutboxMessage>> GetPendingOutboxAsync(int limit, CancellationToken ct = default)
        {
            var pending = await base.GetPendingOutboxAsync(limit, ct);
            if (!reads.Hold) return pending;
            reads.Hold = false;
            reads.Read.SetResult(pending);
            await reads.GoOn.Task;
            return pending;
        }
    }
}
