using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

public sealed class When_retrying_and_timing_out
{
    [Fact]
    public async Task A_failing_step_is_retried_after_its_delay_until_it_succeeds()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: flaky
            steps:
              - id: probe
                type: test.probe
                retry: { maxAttempts: 3, delay: 10s, backoff: 2 }
                with: { name: probe, failTimes: 2 }
            """);

        Assert.Equal(InstanceStatus.Suspended, instance.Status);
        var retry = Assert.Single(await host.Store.GetBookmarksAsync(instance.Id));
        Assert.Equal("$retry", retry.Name);
        Assert.Equal(host.Clock.GetUtcNow().AddSeconds(10), retry.DueAt);

        host.ManualClock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await host.Engine.ProcessDueTimersAsync());
        var second = Assert.Single(await host.Store.GetBookmarksAsync(instance.Id));
        Assert.Equal(host.Clock.GetUtcNow().AddSeconds(20), second.DueAt);

        host.ManualClock.Advance(TimeSpan.FromSeconds(20));
        await host.Engine.ProcessDueTimersAsync();
        instance = await host.InstanceAsync(instance.Id);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(3, host.Probe.Count("probe"));
        Assert.Equal(3, JsonInt.Of(TestHost.Outputs(instance, "probe")!["attempt"]));
        var journal = await host.JournalAsync(instance.Id);
        Assert.Contains(journal, j => j.Kind == "StepFaulted" && j.Message!.StartsWith("attempt 1 of 3 failed: probe failed on attempt 1; retrying in 10s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_step_that_keeps_failing_faults_after_its_last_attempt()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: hopeless
            steps:
              - id: probe
                type: test.probe
                retry: { maxAttempts: 2, delay: 0s }
                with: { name: probe, failTimes: 5 }
            """);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal(2, host.Probe.Count("probe"));
        Assert.Equal("step 'probe': probe failed on attempt 2", instance.Fault);
    }

    [Fact]
    public async Task A_step_timeout_abandons_the_waiting_activity_and_faults_it()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: slow
            steps:
              - { id: mirror, type: test.hang, timeout: 30s, with: { name: mirror } }
            """);
        Assert.Equal(InstanceStatus.Suspended, instance.Status);

        host.ManualClock.Advance(TimeSpan.FromSeconds(31));
        await host.Engine.ProcessDueTimersAsync();
        instance = await host.InstanceAsync(instance.Id);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'mirror' timed out after 30s", instance.Fault);
        Assert.Equal("mirror: timed out", host.Probe.Abandoned.Single());
        Assert.Empty(await host.Store.GetBookmarksAsync(instance.Id));
    }

    [Fact]
    public async Task A_timeout_on_a_sequence_abandons_its_children_and_runs_nothing_more()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: slow-seq
            steps:
              - id: phase
                type: sequence
                timeout: 1m
                continueOnError: true
                steps:
                  - { id: wait, type: test.hang, with: { name: wait } }
                  - { id: never, type: test.probe, with: { name: never } }
              - { id: after, type: test.probe, with: { name: after, value: "${ steps.phase.error.message }" } }
            """);

        host.ManualClock.Advance(TimeSpan.FromMinutes(2));
        await host.Engine.ProcessDueTimersAsync();
        instance = await host.InstanceAsync(instance.Id);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(0, host.Probe.Count("never"));
        Assert.Equal("step 'phase' timed out after 1m", TestHost.Outputs(instance, "after")!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_timeout_cancels_an_activity_still_executing()
    {
        await using var host = await TestHost.CreateAsync("memory", new HostSettings { Clock = TimeProvider.System });
        var instance = await host.RunAsync("""
            name: stuck
            steps:
              - { id: slow, type: test.probe, timeout: 200ms, with: { name: slow, delayMs: 20000 } }
            """);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'slow' timed out after 200ms", instance.Fault);
    }
}
