using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

/// <summary>
/// A checkpoint writes what changed: the state a commit carries does not grow with the number of steps the instance
/// has run (it used to be the whole document, so a forEach over N items wrote O(N²) in all).
/// </summary>
public sealed class When_an_instance_grows
{
    private const int Items = 300;

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_checkpoint_late_in_a_long_forEach_writes_no_more_than_one_early_on(string store)
    {
        // script is not pure: one commit per item
        var seen = await RunLoopAsync(store, """{ id: add, type: script, with: { code: "vars.n = vars.n + item;" } }""");

        Assert.True(seen.Count >= Items, $"{seen.Count} commits");
        var early = seen.Skip(10).Take(50).Max(s => s.Bytes);
        // the last commit completes the loop, whose entry (with its items) is written again then: once per loop
        var late = seen.Skip(seen.Count - 51).Take(50).Max(s => s.Bytes);
        Assert.True(late <= early * 1.5, $"a late checkpoint carries {late} bytes of state, an early one {early}");
        Assert.True(seen.Skip(1).SkipLast(1).All(s => s.Entries <= 6), string.Join(", ", seen.Select(s => s.Entries)));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_long_chain_of_pure_steps_commits_in_bounded_batches_whose_size_does_not_grow(string store)
    {
        // setVariable is pure (its effect goes through the next commit): the run commits every 64 outcomes, not every step
        var seen = await RunLoopAsync(store, """{ id: add, type: setVariable, with: { name: n, value: "${ vars.n + item }" } }""");

        // one outcome per item (the iteration entries are structural): at least Items / 64 commits, and far fewer than Items
        Assert.InRange(seen.Count, Items / 64, Items / 8);
        // each batch writes the entries of its own items only (an item's step and iteration, the loop), never the early ones again
        var batches = seen.Skip(1).SkipLast(1).ToList();
        Assert.NotEmpty(batches);
        Assert.All(batches, s => Assert.InRange(s.Entries, 1, 2 * 64 + 4));
        Assert.True(batches[^1].Bytes <= batches[0].Bytes * 1.5, $"a late batch carries {batches[^1].Bytes} bytes of state, the first {batches[0].Bytes}");
    }

    /// <summary>Runs a forEach over <see cref="Items"/> numbers adding each to vars.n with <paramref name="addStep"/>; returns what each commit carried.</summary>
    private static async Task<List<(int Bytes, int Entries)>> RunLoopAsync(string store, string addStep)
    {
        var sizes = new List<(int Bytes, int Entries)>();
        await using var host = await TestHost.CreateAsync(store, new HostSettings { WrapStore = s => new StateSizeStore(s, sizes) });

        var instance = await host.RunAsync($$"""
            name: grows
            variables: { n: 0 }
            steps:
              - id: loop
                type: forEach
                items: "${ Array.from({length: {{Items}}}, (_, i) => i) }"
                steps:
                  - {{addStep}}
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(Items * (Items - 1) / 2, instance.State["vars"]!["n"]!.GetValue<int>());
        Assert.Equal("Completed", TestHost.StepStatus(instance, $"loop[{Items - 1}]/add"));
        Assert.Equal("Completed", TestHost.StepStatus(instance, $"loop[{Items - 1}]"));
        Assert.Equal(1 + 2 * Items, TestHost.Steps(instance).Count);
        lock (sizes) return [.. sizes];
    }

    /// <summary>Records how much state each commit carries: its changes, or the whole document when it has none.</summary>
    private sealed class StateSizeStore(IWorkflowStore inner, List<(int Bytes, int Entries)> sizes) : WorkflowStoreDecorator(inner)
    {
        public override Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default)
        {
            var (bytes, entries) = commit.StateChanges is { } delta
                ? (delta.Header.ToJsonString().Length + delta.Steps.Sum(s => s.Key.Length + (s.Value?.Length ?? 0)), delta.Steps.Count)
                : (commit.Instance.State.ToJsonString().Length, (commit.Instance.State["steps"] as JsonObject)?.Count ?? 0);
            lock (sizes) sizes.Add((bytes, entries));
            return base.CommitAsync(commit, ct);
        }
    }
}
