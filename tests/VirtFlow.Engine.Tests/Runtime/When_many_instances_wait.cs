using System.Diagnostics;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;
using Xunit.Abstractions;

namespace VirtFlow.Engine.Tests.Runtime;

public sealed class When_many_instances_wait(ITestOutputHelper output)
{
    [Theory]
    [InlineData("memory", 10_000, 4)]
    [InlineData("sqlite", 2_000, 1)]
    public async Task Specific_ones_resume_on_their_events(string store, int count, int writers)
    {
        await using var host = await TestHost.CreateAsync(store);
        var definition = host.Define("""
            name: wait-for-vm
            inputs:
              vm: { type: string, required: true }
            steps:
              - { id: ready, type: waitEvent, with: { event: vm-ready, correlation: "${ inputs.vm }" } }
              - { id: log, type: log, with: { message: "${ inputs.vm + ' is ready' }" } }
            outputs:
              vm: ${ steps.ready.outputs.payload.vm }
            """);

        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = writers }, async (i, ct) =>
            await host.Engine.StartAsync(definition, new JsonObject { ["vm"] = $"vm-{i}" }, new StartOptions { InstanceId = $"i-{i}" }, ct));
        var started = watch.Elapsed;
        output.WriteLine($"{store}: started {count} waiting instances ({writers} callers) in {started.TotalSeconds:F2} s ({count / started.TotalSeconds:F0}/s)");

        var chosen = new[] { 0, 1, count / 3, count / 2, count - 1 };
        watch.Restart();
        foreach (var i in chosen)
            Assert.True(await host.Engine.PublishEventAsync(new EventEnvelope($"ready-{i}", $"event:vm-ready:vm-{i}", new JsonObject { ["vm"] = $"vm-{i}" })));
        output.WriteLine($"{store}: resumed {chosen.Length} of them in {watch.Elapsed.TotalMilliseconds:F1} ms ({watch.Elapsed.TotalMilliseconds / chosen.Length:F2} ms each)");

        watch.Restart();
        var resumeCount = 1000;
        await Parallel.ForEachAsync(Enumerable.Range(10, resumeCount), new ParallelOptions { MaxDegreeOfParallelism = writers }, async (i, ct) =>
            await host.Engine.PublishEventAsync(new EventEnvelope($"ready-{i}", $"event:vm-ready:vm-{i}", new JsonObject { ["vm"] = $"vm-{i}" }), ct));
        output.WriteLine($"{store}: {resumeCount} more events in {watch.Elapsed.TotalSeconds:F2} s ({resumeCount / watch.Elapsed.TotalSeconds:F0} events/s, 2 steps each)");

        foreach (var i in chosen)
        {
            var instance = await host.InstanceAsync($"i-{i}");
            Assert.Equal(InstanceStatus.Completed, instance.Status);
            Assert.Equal($"vm-{i}", instance.Output!["vm"]!.GetValue<string>());
        }
        Assert.Equal(InstanceStatus.Suspended, (await host.InstanceAsync("i-2")).Status);
        Assert.Equal(InstanceStatus.Suspended, (await host.InstanceAsync($"i-{count - 2}")).Status);
        var waiting = await host.Store.ListInstancesAsync(new InstanceQuery(Status: InstanceStatus.Suspended, Limit: count));
        Assert.Equal(count - chosen.Length - resumeCount + chosen.Count(i => i is >= 10 and < 1010), waiting.Count);
    }
}
