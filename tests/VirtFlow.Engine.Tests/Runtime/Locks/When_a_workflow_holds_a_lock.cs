using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime.Locks;

/// <summary><c>lock:</c> on the engine: a start whose key is held by an instance that has not ended is refused naming it; ending releases it.</summary>
public sealed class When_a_workflow_holds_a_lock
{
    internal const string Workflow = """
        name: locked-move
        lock: "vm:${ inputs.host }/${ inputs.vm }"
        inputs:
          host: { type: string, default: h1 }
          vm: { type: string, required: true }
          end: { type: string, default: complete }
        steps:
          - { id: hold, type: waitEvent, with: { event: go, correlation: "${ inputs.vm }" } }
          - { id: boom, type: fail, if: "inputs.end == 'fault'", with: { message: "the move failed" } }
        """;

    public static TheoryData<string> Stores => new() { "memory", "sqlite" };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_second_start_on_the_same_vm_is_refused_naming_the_running_instance(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        var first = await host.RunAsync(Workflow, new JsonObject { ["vm"] = "web1" });
        Assert.Equal(InstanceStatus.Suspended, first.Status);
        Assert.Equal("vm:h1/web1", first.LockKey);

        var refused = await Assert.ThrowsAsync<WorkflowLockedException>(() =>
            host.Engine.StartAsync(host.Define(Workflow), new JsonObject { ["vm"] = "web1" }, new StartOptions { InstanceId = "second" }));

        Assert.Equal(first.Id, refused.HolderInstanceId);
        Assert.Equal("vm:h1/web1", refused.LockKey);
        Assert.Equal($"lock 'vm:h1/web1' is held by instance {first.Id}: it can start once that instance has ended (completed, faulted or cancelled)", refused.Message);
        Assert.Null(await host.Engine.GetInstanceAsync("second"));
        // another VM, or the same VM name on another host, is another resource
        Assert.Equal(InstanceStatus.Suspended, (await host.RunAsync(Workflow, new JsonObject { ["vm"] = "db1" })).Status);
        Assert.Equal(InstanceStatus.Suspended, (await host.RunAsync(Workflow, new JsonObject { ["host"] = "h2", ["vm"] = "web1" })).Status);
    }

    [Theory]
    [InlineData("memory", "complete")]
    [InlineData("memory", "fault")]
    [InlineData("memory", "cancel")]
    [InlineData("sqlite", "complete")]
    [InlineData("sqlite", "fault")]
    [InlineData("sqlite", "cancel")]
    public async Task Its_end_however_it_ends_lets_the_next_start_through(string store, string end)
    {
        await using var host = await TestHost.CreateAsync(store);
        var first = await host.RunAsync(Workflow, new JsonObject { ["vm"] = "web1", ["end"] = end });
        await Assert.ThrowsAsync<WorkflowLockedException>(() => host.RunAsync(Workflow, new JsonObject { ["vm"] = "web1" }));

        if (end == "cancel") Assert.True(await host.Engine.CancelAsync(first.Id, "operator stopped it"));
        else Assert.True(await host.Engine.PublishEventAsync(new EventEnvelope("go-1", "event:go:web1")));

        var ended = await host.CompletionAsync(first.Id);
        Assert.Equal(end switch { "complete" => InstanceStatus.Completed, "fault" => InstanceStatus.Faulted, _ => InstanceStatus.Cancelled }, ended.Status);
        var next = await host.RunAsync(Workflow, new JsonObject { ["vm"] = "web1" });
        Assert.Equal(InstanceStatus.Suspended, next.Status);
        Assert.Equal(next.Id, await ((IInstanceLockStore)host.Store).FindLockHolderAsync("vm:h1/web1"));
    }

    [Fact]
    public async Task The_key_is_journaled_with_the_start_and_a_lock_that_gives_no_text_is_refused_naming_the_workflow()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var first = await host.RunAsync(Workflow, new JsonObject { ["vm"] = "web1" });
        var started = Assert.Single(await host.JournalAsync(first.Id), j => j.Kind == "InstanceStarted");
        Assert.Equal("vm:h1/web1", started.Data!["lock"]!.GetValue<string>());

        var bad = await Assert.ThrowsAsync<WorkflowEngineException>(() => host.RunAsync("""
            name: odd-lock
            lock: "${ inputs.n }"
            inputs: { n: { type: integer, default: 3 } }
            steps: [ { type: log, with: { message: hi } } ]
            """));
        Assert.StartsWith("workflow 'odd-lock': lock '${ inputs.n }' gives 3, not the text of a resource key", bad.Message, StringComparison.Ordinal);
    }
}
