using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;
using VirtFlow.Testing;

namespace VirtFlow.Engine.Tests.Runtime;

public sealed class When_two_engines_share_a_store
{
    [Fact]
    public async Task The_same_event_delivered_by_both_resumes_the_step_once()
    {
        var dir = TestDirs.Create("race");
        var path = Path.Combine(dir, "virtflow.db");
        var probe = new Probe();
        var clock = new ManualClock();
        var barrier = new CommitBarrier(2);
        HostSettings Settings(string id) => new()
        {
            SqlitePath = path,
            Clock = clock,
            Probe = probe,
            EngineId = id,
            WrapStore = s => new CommitBarrierStore(s, barrier),
        };
        await using (var a = await TestHost.CreateAsync("sqlite", Settings("engine-a")))
        await using (var b = await TestHost.CreateAsync("sqlite", Settings("engine-b")))
        {
            var instance = await a.RunAsync("""
                name: raced
                steps:
                  - { id: wait, type: waitEvent, with: { event: ready, correlation: vda } }
                  - { id: pivot, type: test.probe, with: { name: pivot, value: "${ steps.wait.outputs.payload.device }" } }
                """);
            // the event reached the store through a third process, which died before delivering it
            await a.Store.TryAddInboxEventAsync(new InboxEvent
            {
                Id = "evt-1",
                Key = "event:ready:vda",
                Payload = new JsonObject { ["device"] = "vda" },
                ExpiresAt = clock.GetUtcNow().AddHours(1),
            });

            var sweeps = await Task.WhenAll(a.Engine.SweepInboxAsync(), b.Engine.SweepInboxAsync());

            Assert.Equal(2, barrier.Arrived);
            var done = await a.InstanceAsync(instance.Id);
            Assert.Equal(InstanceStatus.Completed, done.Status);
            Assert.Equal("vda", TestHost.Outputs(done, "pivot")!["value"]!.GetValue<string>());
            Assert.Equal(1, sweeps.Sum());
            Assert.Equal(1, probe.Count("pivot"));
            var journal = await a.JournalAsync(instance.Id);
            Assert.Single(journal, j => j.Kind == "Resumed");
            Assert.Single(journal, j => j.Kind == "StepCompleted" && j.StepPath == "wait");
            Assert.Empty(await a.Store.FindInboxEventsAsync("event:ready:vda"));
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Different_events_for_one_instance_from_two_engines_are_both_applied()
    {
        var dir = TestDirs.Create("race2");
        var path = Path.Combine(dir, "virtflow.db");
        var probe = new Probe();
        var clock = new ManualClock();
        await using (var a = await TestHost.CreateAsync("sqlite", new HostSettings { SqlitePath = path, Clock = clock, Probe = probe, EngineId = "engine-a" }))
        await using (var b = await TestHost.CreateAsync("sqlite", new HostSettings { SqlitePath = path, Clock = clock, Probe = probe, EngineId = "engine-b" }))
        {
            var instance = await a.RunAsync("""
                name: disks
                steps:
                  - { id: ready, type: test.waitAll, with: { keys: [r1, r2, r3, r4, r5, r6] } }
                """);

            await Task.WhenAll(Enumerable.Range(1, 6).Select(i =>
                (i % 2 == 0 ? a : b).Engine.PublishEventAsync(new Engine.Runtime.EventEnvelope($"e{i}", $"r{i}", new JsonObject { ["n"] = i }))));
            await a.Engine.SweepInboxAsync();

            var done = await a.InstanceAsync(instance.Id);
            Assert.Equal(InstanceStatus.Completed, done.Status);
            Assert.Equal(6, TestHost.Outputs(done, "ready")!["received"]!.AsArray().Count);
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task An_engine_goes_on_from_the_state_it_committed_only_while_the_store_holds_that_version()
    {
        var dir = TestDirs.Create("warm");
        var path = Path.Combine(dir, "virtflow.db");
        var clock = new ManualClock();
        var readsA = new ReadCounter();
        await using (var a = await TestHost.CreateAsync("sqlite", new HostSettings { SqlitePath = path, Clock = clock, EngineId = "engine-a", WrapStore = s => new CountingStore(s, readsA) }))
        await using (var b = await TestHost.CreateAsync("sqlite", new HostSettings { SqlitePath = path, Clock = clock, EngineId = "engine-b" }))
        {
            var instance = await a.RunAsync("""
                name: turns
                variables: { seen: [] }
                steps:
                  - id: rounds
                    type: forEach
                    items: [r1, r2, r3]
                    steps:
                      - { id: wait, type: waitEvent, with: { event: go, correlation: "${ item }" } }
                      - { id: note, type: setVariable, with: { name: seen, value: "${ vars.seen.concat([steps.wait.outputs.payload.by]) }" } }
                """);
            var fullReads = readsA.Instances;

            // A resumes its own suspended run: the store still holds what A committed, so A reads its version only
            await a.Engine.PublishEventAsync(new Engine.Runtime.EventEnvelope("e1", "event:go:r1", new JsonObject { ["by"] = "a" }));
            Assert.Equal(fullReads, readsA.Instances);
            Assert.True(readsA.Versions > 0);

            // B moves it on: A's kept state is now an old version, and A reads the instance again before it goes on
            await b.Engine.PublishEventAsync(new Engine.Runtime.EventEnvelope("e2", "event:go:r2", new JsonObject { ["by"] = "b" }));
            await a.Engine.PublishEventAsync(new Engine.Runtime.EventEnvelope("e3", "event:go:r3", new JsonObject { ["by"] = "a" }));
            Assert.True(readsA.Instances > fullReads, "engine A went on from a state engine B had moved past");

            var done = await a.InstanceAsync(instance.Id);
            Assert.Equal(InstanceStatus.Completed, done.Status);
            Assert.Equal("[\"a\",\"b\",\"a\"]", done.State["vars"]!["seen"]!.ToJsonString());
        }
        Directory.Delete(dir, recursive: true);
    }

    private sealed class ReadCounter
    {
        public int Instances;
        public int Versions;
    }

    /// <summary>Counts whole-instance reads and version reads.</summary>
    private sealed class CountingStore(IWorkflowStore inner, ReadCounter counter) : WorkflowStoreDecorator(inner)
    {
        public override Task<WorkflowInstance?> GetInstanceAsync(string instanceId, CancellationToken ct = default)
        {
            Interlocked.Increment(ref counter.Instances);
            return base.GetInstanceAsync(instanceId, ct);
        }

        public override Task<long?> GetInstanceVersionAsync(string instanceId, CancellationToken ct = default)
        {
            Interlocked.Increment(ref counter.Versions);
            return base.GetInstanceVersionAsync(instanceId, ct);
        }
    }
}
