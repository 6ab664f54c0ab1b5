using VirtFlow.Engine.Runtime.State;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

/// <summary><see cref="InstanceSteps"/>: the step executions of an instance, for the HTTP API's detail.</summary>
public sealed class When_reading_the_steps_of_an_instance
{
    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Each_execution_comes_in_the_order_it_ran_with_status_attempts_times_and_error(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        var instance = await host.RunAsync("""
            name: steps
            steps:
              - id: first
                type: test.probe
                with: { name: first }
              - id: each
                type: forEach
                items: "${ [1, 2] }"
                steps:
                  - { id: inner, type: test.probe, with: { name: inner } }
              - id: flaky
                type: test.probe
                retry: { maxAttempts: 2, delay: 0s }
                with: { name: flaky, failTimes: 5 }
              - id: never
                type: test.probe
                with: { name: never }
            """);

        var steps = InstanceSteps.Read((await host.InstanceAsync(instance.Id)).State);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        var ran = steps.Select(s => s.Path).ToList();
        Assert.True(ran.IndexOf("first") < ran.IndexOf("each"), string.Join(", ", ran));
        Assert.True(ran.IndexOf("each[0]/inner") < ran.IndexOf("each[1]/inner"), string.Join(", ", ran));
        Assert.True(ran.IndexOf("each[1]/inner") < ran.IndexOf("flaky"), string.Join(", ", ran));
        Assert.DoesNotContain("never", ran.Where(p => steps.Single(s => s.Path == p).StartedAt is not null));
        var first = steps.Single(s => s.Path == "first");
        Assert.Equal(("first", "test.probe", "completed", 1), (first.StepId, first.Type, first.Status, first.Attempts));
        Assert.NotNull(first.StartedAt);
        Assert.NotNull(first.CompletedAt);
        var flaky = steps.Single(s => s.Path == "flaky");
        Assert.Equal(("faulted", 2), (flaky.Status, flaky.Attempts));
        Assert.Equal("flaky failed on attempt 2", flaky.Error?.Message);
        Assert.Equal("flaky", flaky.Error?.Step);
    }
}
