using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

/// <summary>
/// <see cref="ActivityDescriptor.Pure"/>: an activity whose only effects are its outcome (commands to the outbox, bookmarks)
/// runs without a checkpoint before it, so a chain of such steps costs one commit per suspension; a death before that commit
/// loses nothing, because what the run received is still unconsumed in the inbox.
/// </summary>
public sealed class When_activities_are_pure
{
    private const string TwoAsks = """
        name: two-asks
        steps:
          - id: a
            type: test.ask
            with: { key: k-a }
          - id: b
            type: test.ask
            with: { key: k-b }
        outputs:
          a: ${ steps.a.outputs.got }
          b: ${ steps.b.outputs.got }
        """;

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_chain_of_pure_steps_commits_once_per_suspension_and_an_impure_one_checkpoints_around_every_call(string store)
    {
        var pure = await RunAsync(store, pureAsk: true);
        var impure = await RunAsync(store, pureAsk: false);

        // Both ends are the same: the same commands with the same ids, the same outputs.
        Assert.Equal(impure.Commands, pure.Commands);
        Assert.Equal(("got k-a", "got k-b"), pure.Outputs);
        Assert.Equal(impure.Outputs, pure.Outputs);
        // Pure: the start's insert, the suspension of a (its command), of b (its command), the end. Impure: also a claim
        // before each resume and a checkpoint after each outcome that leads to another call.
        Assert.Equal(["Running", "Suspended", "Suspended", "Completed"], pure.Commits);
        Assert.True(impure.Commits.Count > pure.Commits.Count, string.Join(", ", impure.Commits));
        Assert.Contains("Running", impure.Commits);
    }

    [Fact]
    public async Task A_death_before_the_commit_leaves_the_event_in_the_inbox_and_the_sweep_finishes_the_work_with_the_same_command_ids()
    {
        var failing = new FailingStore();
        await using var host = await TestHost.CreateAsync("sqlite", new HostSettings { WrapStore = inner => failing.Wrap(inner) });
        host.Activities.Register(new AskActivity(pure: true));
        var sent = new List<string>();
        host.Transport.Register("host-1", (m, _) =>
        {
            lock (sent) sent.Add(m.Id);
            return Task.CompletedTask;
        });
        var id = await host.Engine.StartAsync(host.Define(TwoAsks));
        Assert.Equal(InstanceStatus.Suspended, (await host.InstanceAsync(id)).Status);

        // a's event comes (stored in the inbox); the commit of what follows (a completed, b started and waiting) fails:
        // nothing of that run is stored (the delivery's failure is logged, the event kept).
        failing.FailNext = true;
        Assert.True(await host.Engine.PublishEventAsync(new EventEnvelope("e-a", "k-a", new JsonObject { ["v"] = "k-a" })));
        Assert.False(failing.FailNext);
        var stored = await host.InstanceAsync(id);
        Assert.Equal(InstanceStatus.Suspended, stored.Status);
        Assert.Equal("Suspended", TestHost.StepStatus(stored, "a"));
        Assert.Contains(await host.Store.FindMatchableInboxEventsAsync(10), e => e.Id == "e-a");

        // The sweep delivers it again: the run is redone and committed; then b's event ends the instance.
        Assert.Equal(1, await host.Engine.SweepInboxAsync());
        await host.Engine.PublishEventAsync(new EventEnvelope("e-b", "k-b", new JsonObject { ["v"] = "k-b" }));
        await host.Engine.DispatchPendingOutboxAsync();
        var done = await host.InstanceAsync(id);
        Assert.True(done.Status == InstanceStatus.Completed, done.Fault);
        Assert.Equal([$"{id}:a:1:1", $"{id}:b:1:1"], sent.Distinct().Order());
        Assert.Single(await host.JournalAsync(id), j => j.Kind == "StepCompleted" && j.StepPath == "a");
    }

    private static async Task<(List<string> Commits, List<string> Commands, (string?, string?) Outputs)> RunAsync(string store, bool pureAsk)
    {
        var commits = new List<string>();
        await using var host = await TestHost.CreateAsync(store, new HostSettings { WrapStore = inner => new RecordingStore(inner, commits) });
        host.Activities.Register(new AskActivity(pureAsk));
        var commands = new List<string>();
        host.Transport.Register("host-1", (m, _) =>
        {
            lock (commands) commands.Add(m.MessageType + " " + m.Payload["key"]!.GetValue<string>());
            return Task.CompletedTask;
        });
        // The events come before their waits begin: the inbox keeps them, and one run goes through both steps.
        await host.Engine.PublishEventAsync(new EventEnvelope("e-a", "k-a", new JsonObject { ["v"] = "k-a" }));
        await host.Engine.PublishEventAsync(new EventEnvelope("e-b", "k-b", new JsonObject { ["v"] = "k-b" }));
        commits.Clear();
        var instance = await host.RunAsync(TwoAsks);
        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        Assert.True(await host.Engine.WaitForIdleAsync(TimeSpan.FromSeconds(20)));
        return (commits, commands.Order().ToList(), (instance.Output!["a"]?.GetValue<string>(), instance.Output!["b"]?.GetValue<string>()));
    }

    /// <summary><c>test.ask</c>: sends a command and waits for an event on its key; completes with what came.</summary>
    private sealed class AskActivity(bool pure) : IActivity
    {
        public ActivityDescriptor Descriptor { get; } = new()
        {
            Type = "test.ask",
            Description = "test: a command, then an event",
            Inputs = [new("key", "string", "the event key", Required: true)],
            Pure = pure,
        };

        public ValueTask<ActivityOutcome> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
        {
            var key = context.Inputs["key"]!.GetValue<string>();
            context.SendCommand("host-1", "Ask", new JsonObject { ["key"] = key });
            return ValueTask.FromResult(ActivityOutcome.Suspend([new BookmarkRequest("event", key)]));
        }

        public ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ActivityOutcome.Complete(new JsonObject { ["got"] = "got " + stimulus.Payload?["v"]?.GetValue<string>() }));
    }

    private sealed class RecordingStore(IWorkflowStore inner, List<string> commits) : WorkflowStoreDecorator(inner)
    {
        public override Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default)
        {
            lock (commits) commits.Add(commit.Instance.Status.ToString());
            return base.CommitAsync(commit, ct);
        }
    }

    private sealed class FailingStore
    {
        public bool FailNext { get; set; }

        public IWorkflowStore Wrap(IWorkflowStore inner) => new Store(inner, this);

        private sealed class Store(IWorkflowStore inner, FailingStore owner) : WorkflowStoreDecorator(inner)
        {
            public override Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default)
            {
                if (!owner.FailNext) return base.CommitAsync(commit, ct);
                owner.FailNext = false;
                throw new IOException("the disk went away (simulated)");
            }
        }
    }
}
