using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

public sealed class When_running_control_flow
{
    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_sequence_runs_in_order_and_evaluates_outputs(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        var instance = await host.RunAsync("""
            name: seq
            inputs:
              who: { type: string, default: world }
            variables:
              greeting: hello
            outputs:
              text: ${ steps.second.outputs.value }
              total: ${ vars.total }
            steps:
              - id: first
                type: test.probe
                with: { name: first, value: "${ vars.greeting + ' ' + inputs.who }" }
              - id: set
                type: setVariable
                with: { name: total, value: "${ 40 + 2 }" }
              - id: second
                type: test.probe
                with: { name: second, value: "${ steps.first.outputs.value + '!' }" }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal("hello world!", instance.Output!["text"]!.GetValue<string>());
        Assert.Equal(42, JsonInt.Of(instance.Output!["total"]));
        Assert.Equal(["first", "second"], host.Probe.Order.ToArray());
    }

    [Fact]
    public async Task If_and_switch_take_one_branch_chosen_once()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: branches
            inputs:
              size: { type: integer, default: 3 }
              color: { type: string, default: green }
            steps:
              - id: check
                type: if
                condition: ${ inputs.size > 2 }
                then:
                  - { id: big, type: test.probe, with: { name: big } }
                else:
                  - { id: small, type: test.probe, with: { name: small } }
              - id: pick
                type: switch
                value: ${ inputs.color }
                cases:
                  - value: red
                    steps: [ { id: red, type: test.probe, with: { name: red } } ]
                  - value: green
                    steps: [ { id: green, type: test.probe, with: { name: green } } ]
                default:
                  - { id: other, type: test.probe, with: { name: other } }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(["big", "green"], host.Probe.Order.ToArray());
        Assert.Equal("then", TestHost.Steps(instance)["check"]!["branch"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_step_whose_if_is_false_is_skipped()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: skip
            steps:
              - { id: a, type: test.probe, if: "${ false }", with: { name: a } }
              - { id: b, type: test.probe, with: { name: b } }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal("Skipped", TestHost.StepStatus(instance, "a"));
        Assert.Equal(0, host.Probe.Count("a"));
        Assert.Contains(await host.JournalAsync(instance.Id), j => j.Kind == "StepSkipped" && j.StepPath == "a");
    }

    [Fact]
    public async Task A_while_loop_repeats_while_its_condition_holds_with_unique_paths()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: loop
            variables: { n: 0 }
            steps:
              - id: again
                type: while
                condition: ${ vars.n < 3 }
                steps:
                  - { id: bump, type: script, with: { code: "vars.n = vars.n + 1; return iteration;" } }
            outputs:
              n: ${ vars.n }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(3, JsonInt.Of(instance.Output!["n"]));
        Assert.Equal(3, JsonInt.Of(TestHost.Outputs(instance, "again#3/bump")!["result"]));
    }

    [Fact]
    public async Task A_while_loop_beyond_max_iterations_faults_clearly()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: forever
            steps:
              - id: spin
                type: while
                condition: ${ true }
                maxIterations: 5
                steps:
                  - { id: tick, type: test.probe, with: { name: tick } }
            """);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal(5, host.Probe.Count("tick"));
        Assert.Contains("step 'spin'", instance.Fault);
        Assert.Contains("after 5 iterations (maxIterations)", instance.Fault);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task ForEach_runs_every_item_and_steps_refer_to_their_own_iteration(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        var instance = await host.RunAsync("""
            name: disks
            inputs:
              disks: { type: array, default: [vda, vdb, vdc] }
            steps:
              - id: each
                type: forEach
                items: ${ inputs.disks }
                as: disk
                maxParallelism: 3
                steps:
                  - { id: copy, type: test.probe, with: { name: "${ 'copy-' + disk }", value: "${ disk + '@' + index }" } }
                  - { id: check, type: test.probe, with: { name: "${ 'check-' + disk }", value: "${ steps.copy.outputs.value }" } }
            outputs:
              last: ${ steps.check.outputs.value }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        for (var i = 0; i < 3; i++)
        {
            var disk = new[] { "vda", "vdb", "vdc" }[i];
            Assert.Equal($"{disk}@{i}", TestHost.Outputs(instance, $"each[{i}]/check")!["value"]!.GetValue<string>());
        }
        // outside the loop, steps.check is its latest execution: which one depends on completion order here
        Assert.Contains(instance.Output!["last"]!.GetValue<string>(), new[] { "vda@0", "vdb@1", "vdc@2" });
    }

    [Fact]
    public async Task ForEach_max_parallelism_bounds_the_iterations_running_at_once()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: bounded
            steps:
              - id: each
                type: forEach
                items: [1, 2, 3, 4, 5, 6, 7, 8]
                maxParallelism: 3
                steps:
                  - { id: work, type: test.probe, with: { name: "${ 'w' + item }", group: work, delayMs: 60 } }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(8, Enumerable.Range(1, 8).Sum(i => host.Probe.Count("w" + i)));
        Assert.Equal(3, host.Probe.MaxConcurrent("work"));
    }

    [Fact]
    public async Task Parallel_branches_really_run_at_once_and_join()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: fork
            steps:
              - id: both
                type: parallel
                branches:
                  - [ { id: left, type: test.probe, with: { name: left, group: p, delayMs: 150 } } ]
                  - [ { id: right, type: test.probe, with: { name: right, group: p, delayMs: 150 } } ]
              - { id: after, type: test.probe, with: { name: after } }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(2, host.Probe.MaxConcurrent("p"));
        Assert.Equal("after", host.Probe.Order.Last());
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_fault_in_one_parallel_branch_abandons_the_others(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        var instance = await host.RunAsync("""
            name: fork-fault
            steps:
              - id: both
                type: parallel
                branches:
                  - [ { id: waiter, type: test.hang, with: { name: waiter } }, { id: never, type: test.probe, with: { name: never } } ]
                  - [ { id: boom, type: fail, with: { message: "disk vdb is gone", code: NoDisk } } ]
              - { id: after, type: test.probe, with: { name: after } }
            """);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Equal("step 'boom': disk vdb is gone", instance.Fault);
        Assert.Equal("Cancelled", TestHost.StepStatus(instance, "waiter"));
        Assert.Single(host.Probe.Abandoned);
        Assert.StartsWith("waiter: a sibling branch faulted", host.Probe.Abandoned.Single());
        Assert.Equal(0, host.Probe.Count("never") + host.Probe.Count("after"));
        Assert.Empty(await host.Store.GetBookmarksAsync(instance.Id));
        var undo = Assert.Single(await host.Store.GetPendingOutboxAsync(10));
        Assert.Equal("Undo", undo.MessageType);
    }

    [Fact]
    public async Task ContinueOnError_records_the_fault_and_goes_on()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: tolerant
            steps:
              - { id: bad, type: fail, continueOnError: true, with: { message: nope } }
              - { id: next, type: test.probe, with: { name: next, value: "${ steps.bad.status + ':' + steps.bad.error.message }" } }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal("faulted:nope", TestHost.Outputs(instance, "next")!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_expression_error_faults_the_step_naming_it()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync("""
            name: broken
            steps:
              - { id: calc, type: test.probe, with: { name: calc, value: "${ nothing.here }" } }
            """);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.StartsWith("step 'calc'", instance.Fault);
        Assert.Contains("nothing.here", instance.Fault);
    }
}
