using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime.Retry;

/// <summary><see cref="WorkflowEngine.RetryAsync"/> on real stores: from the faulted step or a named one, completed steps kept.</summary>
public sealed class When_retrying_a_faulted_instance
{
    private const string Workflow = """
        name: retried
        inputs:
          target: { type: string, default: bad }
        steps:
          - { id: prepare, type: test.probe, with: { name: prepare, value: "${ inputs.target }" } }
          - { id: copy, type: test.probe, with: { name: copy, failTimes: 1 } }
          - { id: check, type: fail, if: "inputs.target == 'bad'", with: { message: "target ${ inputs.target } refused" } }
          - { id: finish, type: test.probe, with: { name: finish, value: "${ steps.prepare.outputs.value }" } }
        """;

    public static TheoryData<string> Stores => new() { "memory", "sqlite" };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task It_continues_from_the_faulted_step_with_the_completed_steps_kept(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        var faulted = await host.RunAsync(Workflow);
        Assert.Equal(InstanceStatus.Faulted, faulted.Status);
        Assert.Contains("copy failed on attempt 1", faulted.Fault, StringComparison.Ordinal);

        // copy faults on its first attempt only: run again, it is at attempt 2 (new command ids) and completes; check
        // still refuses the target
        Assert.Equal("copy", await host.Engine.RetryAsync(faulted.Id));
        var second = await host.InstanceAsync(faulted.Id);
        Assert.Equal(InstanceStatus.Faulted, second.Status);
        Assert.Equal("step 'check': target bad refused", second.Fault);
        Assert.Equal(2, TestHost.Outputs(second, "copy")!["attempt"]!.GetValue<int>());

        // from the faulted step (check) with a new input: prepare's output (from the first run) is kept
        Assert.Equal("check", await host.Engine.RetryAsync(faulted.Id, inputs: new JsonObject { ["target"] = "good" }));
        var done = await host.InstanceAsync(faulted.Id);
        Assert.True(done.Status == InstanceStatus.Completed, done.Fault);
        Assert.Equal("good", done.Input["target"]!.GetValue<string>());
        Assert.Equal("bad", TestHost.Outputs(done, "finish")!["value"]!.GetValue<string>());
        Assert.Equal(1, host.Probe.Count("prepare"));
        Assert.Equal(2, host.Probe.Count("copy"));
        Assert.Equal(1, host.Probe.Count("finish"));
        var retries = (await host.JournalAsync(faulted.Id)).Where(j => j.Kind == "InstanceRetried").ToList();
        Assert.Equal(2, retries.Count);
        Assert.Equal("retried from step 'copy'; 1 completed step kept, 1 run again", retries[0].Message);
        Assert.Equal("retried from step 'check'; 2 completed steps kept, 1 run again; inputs changed: target", retries[1].Message);
        Assert.Equal("step 'check': target bad refused", retries[1].Data!["previousFault"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task It_runs_again_from_a_named_earlier_step(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        var faulted = await host.RunAsync(Workflow, new JsonObject { ["target"] = "bad" });

        await host.Engine.RetryAsync(faulted.Id, fromStep: "prepare", inputs: new JsonObject { ["target"] = "good" });

        var done = await host.InstanceAsync(faulted.Id);
        Assert.True(done.Status == InstanceStatus.Completed, done.Fault);
        Assert.Equal(2, host.Probe.Count("prepare"));
        Assert.Equal("good", TestHost.Outputs(done, "finish")!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Inside_a_try_the_step_its_container_and_the_finally_run_again()
    {
        await using var host = await TestHost.CreateAsync("sqlite");
        var faulted = await host.RunAsync("""
            name: nested-retry
            steps:
              - id: before
                type: test.probe
                with: { name: before }
              - id: move
                type: try
                steps:
                  - { id: mirror, type: test.probe, with: { name: mirror } }
                  - { id: pivot, type: test.probe, with: { name: pivot, failTimes: 1 } }
                finally:
                  - { id: cleanup, type: test.probe, with: { name: cleanup } }
            """);
        Assert.Equal(InstanceStatus.Faulted, faulted.Status);

        Assert.Equal("pivot", await host.Engine.RetryAsync(faulted.Id));

        var done = await host.InstanceAsync(faulted.Id);
        Assert.True(done.Status == InstanceStatus.Completed, done.Fault);
        Assert.Equal(1, host.Probe.Count("before"));
        Assert.Equal(1, host.Probe.Count("mirror"));
        Assert.Equal(2, host.Probe.Count("pivot"));
        Assert.Equal(2, host.Probe.Count("cleanup"));
    }

    [Fact]
    public async Task It_is_refused_clearly_when_the_instance_is_not_faulted_the_step_is_unknown_or_an_input_is_wrong()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var faulted = await host.RunAsync(Workflow);
        var completed = await host.RunAsync(Workflow, new JsonObject { ["target"] = "good" }, new StartOptions { InstanceId = "ok-1" });
        Assert.Equal(InstanceStatus.Faulted, completed.Status); // copy's first attempt faults here too
        await host.Engine.RetryAsync("ok-1");
        Assert.Equal(InstanceStatus.Completed, (await host.InstanceAsync("ok-1")).Status);

        var notFaulted = await Assert.ThrowsAsync<WorkflowRetryException>(() => host.Engine.RetryAsync("ok-1"));
        Assert.Equal(RetryRefusal.NotFaulted, notFaulted.Reason);
        Assert.Equal("instance ok-1 is completed, not faulted: only a faulted instance can be retried", notFaulted.Message);

        var unknown = await Assert.ThrowsAsync<WorkflowRetryException>(() => host.Engine.RetryAsync(faulted.Id, fromStep: "chek"));
        Assert.Equal(RetryRefusal.UnknownStep, unknown.Reason);
        Assert.Equal($"instance {faulted.Id}: workflow 'retried' has no step 'chek'; did you mean 'check'? (steps: prepare, copy, check, finish)", unknown.Message);

        var missing = await Assert.ThrowsAsync<WorkflowRetryException>(() => host.Engine.RetryAsync("nope"));
        Assert.Equal(RetryRefusal.NotFound, missing.Reason);

        var badInput = await Assert.ThrowsAsync<WorkflowInputException>(() => host.Engine.RetryAsync(faulted.Id, inputs: new JsonObject { ["target"] = 42 }));
        Assert.Equal("target", badInput.InputName);
        Assert.Equal(InstanceStatus.Faulted, (await host.InstanceAsync(faulted.Id)).Status);
    }

    [Fact]
    public async Task A_retry_takes_the_lock_again_and_is_refused_while_another_instance_holds_it()
    {
        await using var host = await TestHost.CreateAsync("sqlite");
        const string Locked = """
            name: locked-retry
            lock: "vm:${ inputs.vm }"
            inputs: { vm: { type: string, required: true }, fail: { type: boolean, default: true } }
            steps:
              - { id: work, type: fail, if: "inputs.fail", with: { message: boom } }
              - { id: hold, type: waitEvent, with: { event: go, correlation: "${ inputs.vm }" } }
            """;
        var faulted = await host.RunAsync(Locked, new JsonObject { ["vm"] = "web1" });
        Assert.Equal(InstanceStatus.Faulted, faulted.Status);
        var other = await host.RunAsync(Locked, new JsonObject { ["vm"] = "web1", ["fail"] = false });
        Assert.Equal(InstanceStatus.Suspended, other.Status);

        var refused = await Assert.ThrowsAsync<WorkflowLockedException>(() => host.Engine.RetryAsync(faulted.Id, inputs: new JsonObject { ["fail"] = false }));
        Assert.Equal(other.Id, refused.HolderInstanceId);
        Assert.Equal(InstanceStatus.Faulted, (await host.InstanceAsync(faulted.Id)).Status);

        await host.Engine.CancelAsync(other.Id, "make way");
        await host.Engine.RetryAsync(faulted.Id, inputs: new JsonObject { ["fail"] = false });
        Assert.Equal(InstanceStatus.Suspended, (await host.InstanceAsync(faulted.Id)).Status);
        Assert.Equal(faulted.Id, await ((IInstanceLockStore)host.Store).FindLockHolderAsync("vm:web1"));
    }
}
