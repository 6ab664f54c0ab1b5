using System.Diagnostics;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;
using Xunit.Abstractions;

namespace VirtFlow.Engine.Tests.Runtime;

/// <summary>A measurement printed to the test output, not a timed assertion: instances of ten steps each, run to completion.</summary>
public sealed class When_measuring_throughput(ITestOutputHelper output)
{
    [Theory]
    [InlineData("memory", 300)]
    [InlineData("sqlite", 100)]
    public async Task Steps_per_second_are_printed(string store, int instances)
    {
        await using var host = await TestHost.CreateAsync(store);
        var definition = host.Define("""
            name: ten-steps
            steps:
              - { id: s1, type: setVariable, with: { name: n, value: 1 } }
              - { id: s2, type: log, with: { message: "${ 'n=' + vars.n }", level: debug } }
              - { id: s3, type: test.probe, with: { name: p3 } }
              - { id: s4, type: test.probe, with: { name: p4, value: "${ steps.s3.outputs.count }" } }
              - { id: s5, type: script, with: { code: "vars.n = vars.n + 1" } }
              - { id: s6, type: log, with: { message: step six, level: debug } }
              - { id: s7, type: test.probe, with: { name: p7 } }
              - { id: s8, type: setVariable, with: { name: m, value: "${ vars.n * 2 }" } }
              - { id: s9, type: test.probe, with: { name: p9 } }
              - { id: s10, type: log, with: { message: done, level: debug } }
            """);

        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, instances), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, ct) =>
        {
            var id = await host.Engine.StartAsync(definition, ct: ct);
            Assert.Equal(InstanceStatus.Completed, (await host.Engine.GetInstanceAsync(id, ct))!.Status);
        });
        watch.Stop();

        output.WriteLine($"{store}: {instances} instances x 10 steps in {watch.Elapsed.TotalSeconds:F2} s = {instances * 10 / watch.Elapsed.TotalSeconds:F0} steps/s ({instances / watch.Elapsed.TotalSeconds:F0} instances/s, 4 callers, one commit per step)");
        Assert.Equal(instances, host.Probe.Count("p9"));
    }
}
