using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

public sealed class When_waiting_on_events
{
    private const string Approval = """
        name: approval
        inputs:
          order: { type: string, required: true }
        steps:
          - id: approve
            type: waitEvent
            with: { event: approval, correlation: "${ inputs.order }", timeout: 5m }
          - { id: after, type: test.probe, with: { name: after, value: "${ steps.approve.outputs.payload.by }" } }
        outputs:
          by: ${ steps.approve.outputs.payload.by }
        """;

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_published_event_resumes_the_waiting_instance(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        var instance = await host.RunAsync(Approval, new JsonObject { ["order"] = "order-42" });
        Assert.Equal(InstanceStatus.Suspended, instance.Status);

        Assert.True(await host.Engine.PublishEventAsync(new EventEnvelope("e1", "event:approval:order-42", new JsonObject { ["by"] = "alice" })));

        instance = await host.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal("alice", instance.Output!["by"]!.GetValue<string>());
        Assert.Empty(await host.Store.GetBookmarksAsync(instance.Id));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task An_event_published_before_the_wait_begins_counts(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        Assert.True(await host.Engine.PublishEventAsync(new EventEnvelope("early", "event:approval:order-7", new JsonObject { ["by"] = "bob" })));

        var instance = await host.RunAsync(Approval, new JsonObject { ["order"] = "order-7" });

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal("bob", instance.Output!["by"]!.GetValue<string>());
        Assert.Empty(await host.Store.FindInboxEventsAsync("event:approval:order-7"));
    }

    [Fact]
    public async Task A_duplicate_event_id_is_ignored()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var first = await host.RunAsync(Approval, new JsonObject { ["order"] = "o1" });
        var second = await host.RunAsync(Approval, new JsonObject { ["order"] = "o1" }, new StartOptions { InstanceId = "second" });

        Assert.True(await host.Engine.PublishEventAsync(new EventEnvelope("same-id", "event:approval:o1", new JsonObject { ["by"] = "carol" })));
        Assert.False(await host.Engine.PublishEventAsync(new EventEnvelope("same-id", "event:approval:o1", new JsonObject { ["by"] = "carol" })));

        Assert.Equal(InstanceStatus.Completed, (await host.InstanceAsync(first.Id)).Status);
        Assert.Equal(InstanceStatus.Completed, (await host.InstanceAsync(second.Id)).Status);
        Assert.Equal(2, host.Probe.Count("after"));
    }

    [Fact]
    public async Task A_wait_that_times_out_faults_with_the_event_and_correlation()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync(Approval, new JsonObject { ["order"] = "order-42" });

        host.ManualClock.Advance(TimeSpan.FromMinutes(5));
        await host.Engine.ProcessDueTimersAsync();
        instance = await host.InstanceAsync(instance.Id);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'approve': waitEvent 'approval' (correlation order-42) timed out after 5m", instance.Fault);
        Assert.True(await host.Engine.PublishEventAsync(new EventEnvelope("late", "event:approval:order-42")));
        Assert.Equal(InstanceStatus.Faulted, (await host.InstanceAsync(instance.Id)).Status);
        Assert.Equal(0, host.Probe.Count("after"));
    }

    [Fact]
    public async Task A_wait_with_on_timeout_continue_completes_with_timed_out()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: optional
            steps:
              - { id: maybe, type: waitEvent, with: { event: ping, timeout: 10s, onTimeout: continue } }
            outputs:
              timedOut: ${ steps.maybe.outputs.timedOut }
            """);

        host.ManualClock.Advance(TimeSpan.FromSeconds(10));
        await host.Engine.ProcessDueTimersAsync();
        instance = await host.InstanceAsync(instance.Id);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.True(instance.Output!["timedOut"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_multi_bookmark_wait_resumes_once_per_event_until_all_arrived(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        // READY of vda came before the wait began
        await host.Engine.PublishEventAsync(new EventEnvelope("r-vda", "ready:vda", new JsonObject { ["disk"] = "vda" }));
        var instance = await host.RunAsync("""
            name: mirrors
            steps:
              - { id: ready, type: test.waitAll, with: { keys: [ready:vda, ready:vdb, ready:vdc] } }
              - { id: pivot, type: test.probe, with: { name: pivot } }
            """);
        Assert.Equal(InstanceStatus.Suspended, instance.Status);
        Assert.Equal(["ready:vdb", "ready:vdc"], (await host.Store.GetBookmarksAsync(instance.Id)).Select(b => b.Key!).Order().ToArray());

        await Task.WhenAll(
            host.Engine.PublishEventAsync(new EventEnvelope("r-vdc", "ready:vdc", new JsonObject { ["disk"] = "vdc" })),
            host.Engine.PublishEventAsync(new EventEnvelope("r-vdb", "ready:vdb", new JsonObject { ["disk"] = "vdb" })));

        instance = await host.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(3, host.Probe.Count("waitAll.resume"));
        Assert.Equal(1, host.Probe.Count("pivot"));
        var received = TestHost.Outputs(instance, "ready")!["received"]!.AsArray().Select(p => p!["disk"]!.GetValue<string>()).Order();
        Assert.Equal(["vda", "vdb", "vdc"], received.ToArray());
    }

    [Fact]
    public async Task The_inbox_sweep_delivers_an_event_whose_wait_was_committed_elsewhere()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync(Approval, new JsonObject { ["order"] = "o9" });
        // another process stored the event but died before delivering it
        await host.Store.TryAddInboxEventAsync(new InboxEvent
        {
            Id = "orphan-event",
            Key = "event:approval:o9",
            Payload = new JsonObject { ["by"] = "dave" },
            ExpiresAt = host.Clock.GetUtcNow().AddHours(1),
        });

        Assert.Equal(1, await host.Engine.SweepInboxAsync());

        Assert.Equal("dave", (await host.InstanceAsync(instance.Id)).Output!["by"]!.GetValue<string>());
    }
}
