using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

public sealed class When_using_try_catch_finally
{
    [Fact]
    public async Task A_body_that_completes_skips_catch_and_runs_finally()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: ok
            steps:
              - id: guard
                type: try
                steps: [ { id: body, type: test.probe, with: { name: body } } ]
                catch: [ { id: handler, type: test.probe, with: { name: handler } } ]
                finally: [ { id: cleanup, type: test.probe, with: { name: cleanup } } ]
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(["body", "cleanup"], host.Probe.Order.ToArray());
    }

    [Fact]
    public async Task A_fault_is_caught_with_the_error_and_finally_runs()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: caught
            steps:
              - id: guard
                type: try
                steps:
                  - { id: pivot, type: fail, with: { message: "pivot refused", code: QmpError } }
                  - { id: unreachable, type: test.probe, with: { name: unreachable } }
                catch:
                  - { id: handler, type: test.probe, with: { name: handler, value: "${ error.step + '|' + error.code + '|' + error.message }" } }
                finally: [ { id: cleanup, type: test.probe, with: { name: cleanup } } ]
              - { id: after, type: test.probe, with: { name: after } }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(["handler", "cleanup", "after"], host.Probe.Order.ToArray());
        Assert.Equal("pivot|QmpError|pivot refused", TestHost.Outputs(instance, "handler")!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_fault_without_catch_runs_finally_then_is_raised_again()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: rethrow
            steps:
              - id: guard
                type: try
                steps: [ { id: pivot, type: fail, with: { message: "pivot refused" } } ]
                finally: [ { id: cleanup, type: test.probe, with: { name: cleanup } } ]
              - { id: after, type: test.probe, with: { name: after } }
            """);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'pivot': pivot refused", instance.Fault);
        Assert.Equal(["cleanup"], host.Probe.Order.ToArray());
    }

    [Fact]
    public async Task A_fault_inside_catch_runs_finally_then_is_raised()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: catch-fails
            steps:
              - id: guard
                type: try
                steps: [ { id: pivot, type: fail, with: { message: first } } ]
                catch: [ { id: handler, type: fail, with: { message: "${ 'handler saw ' + error.message }" } } ]
                finally: [ { id: cleanup, type: test.probe, with: { name: cleanup } } ]
            """);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'handler': handler saw first", instance.Fault);
        Assert.Equal(1, host.Probe.Count("cleanup"));
    }

    [Fact]
    public async Task A_fault_in_finally_wins()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: finally-fails
            steps:
              - id: guard
                type: try
                steps: [ { id: body, type: test.probe, with: { name: body } } ]
                finally: [ { id: cleanup, type: fail, with: { message: "thaw failed" } } ]
            """);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'cleanup': thaw failed", instance.Fault);
    }

    [Fact]
    public async Task Finally_runs_even_when_the_try_body_is_abandoned_by_a_parallel_sibling()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: abandoned-try
            steps:
              - id: both
                type: parallel
                branches:
                  - - id: guard
                      type: try
                      steps: [ { id: frozen, type: test.hang, with: { name: frozen } } ]
                      catch: [ { id: handler, type: test.probe, with: { name: handler } } ]
                      finally: [ { id: thaw, type: test.probe, with: { name: thaw } } ]
                  - - { id: boom, type: fail, with: { message: boom } }
            """);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'boom': boom", instance.Fault);
        Assert.Equal(1, host.Probe.Count("thaw"));
        Assert.Equal(0, host.Probe.Count("handler"));
        Assert.Single(host.Probe.Abandoned);
        Assert.Equal("Cancelled", TestHost.StepStatus(instance, "guard"));
    }

    [Fact]
    public async Task Nested_try_inside_catch_handles_its_own_fault()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: nested
            steps:
              - id: outer
                type: try
                steps: [ { id: first, type: fail, with: { message: one } } ]
                catch:
                  - id: inner
                    type: try
                    steps: [ { id: second, type: fail, with: { message: two } } ]
                    catch: [ { id: recover, type: test.probe, with: { name: recover, value: "${ error.message }" } } ]
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal("two", TestHost.Outputs(instance, "recover")!["value"]!.GetValue<string>());
    }
}
