using VirtFlow.Contracts;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Embedded;

/// <summary>
/// The embedded mode end to end against real QEMU: a command leaves the engine's outbox, crosses the in-memory bus to
/// the worker of host <c>local</c>, runs against the VM, and its result comes back over the bus and resumes the instance.
/// </summary>
public sealed class When_a_workflow_drives_a_real_vm
{
    [Fact]
    public async Task A_command_reaches_the_worker_and_its_result_resumes_the_waiting_instance()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, StartRunning = true });
        await using var host = await EmbeddedHost.StartAsync(o => o.Vms.Add(new VmSpec("vm1", vm.QmpSocketPath)));

        var instance = await host.RunAsync("""
            name: query-vm
            steps:
              - id: query
                type: message.send
                with:
                  destination: local
                  messageType: QueryVm
                  payload: { vm: vm1 }
                  waitForReply: true
                  replyTimeout: 2m
            outputs:
              commandId: ${ steps.query.outputs.commandId }
              reply: ${ steps.query.outputs.reply }
              result: ${ JSON.parse(steps.query.outputs.reply.resultJson) }
            """);

        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        var reply = instance.Output!["reply"]!;
        Assert.True(reply["success"]!.GetValue<bool>(), reply.ToJsonString());
        Assert.Equal(instance.Output["commandId"]!.GetValue<string>(), reply["commandId"]!.GetValue<string>());
        Assert.Equal("local", reply["hostId"]!.GetValue<string>());
        Assert.Equal("vm1", reply["vm"]!.GetValue<string>());
        var result = instance.Output["result"]!;
        Assert.Equal("running", result["runState"]!.GetValue<string>());
        var devices = result["devices"]!.AsArray().Select(d => d!["device"]?.GetValue<string>()).ToList();
        Assert.Contains("vda", devices);
        Assert.Contains("vdb", devices);

        var journal = await host.Engine.GetJournalAsync(instance.Id);
        Assert.Contains(journal, j => j.Kind == "StepSuspended" && j.StepPath == "query");
        Assert.Contains(journal, j => j.Kind == "Resumed" && j.StepPath == "query");
    }

    [Fact]
    public async Task Stopping_releases_the_quiesce_lease_the_worker_holds_so_no_guest_stays_paused()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var host = await EmbeddedHost.StartAsync(o => o.Vms.Add(new VmSpec("vm1", vm.QmpSocketPath)));
        try
        {
            var instance = await host.RunAsync($$"""
                name: quiesce-and-leave
                steps:
                  - id: quiesce
                    type: message.send
                    with:
                      destination: local
                      messageType: QuiesceVm
                      payload: { vm: vm1, mode: {{QuiesceModes.Pause}}, lease: "00:10:00" }
                      waitForReply: true
                      replyTimeout: 2m
                outputs:
                  reply: ${ steps.quiesce.outputs.reply }
                """);
            Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
            Assert.True(instance.Output!["reply"]!["success"]!.GetValue<bool>(), instance.Output.ToJsonString());
            Assert.False((await vm.Monitor.QueryStatusAsync()).Running);

            await host.StopAsync();

            Assert.True((await vm.Monitor.QueryStatusAsync()).Running, "the worker resumes the guest it paused when it stops");
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
