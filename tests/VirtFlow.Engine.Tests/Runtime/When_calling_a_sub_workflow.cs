using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

public sealed class When_calling_a_sub_workflow
{
    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task The_call_completes_with_the_child_outputs(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        host.Define("""
            name: copy-disk
            inputs:
              disk: { type: string, required: true }
            steps:
              - { id: copy, type: test.probe, with: { name: "${ 'copy-' + inputs.disk }" } }
            outputs:
              copied: ${ inputs.disk + ' copied' }
            """);
        var parent = await host.RunAsync("""
            name: migrate
            steps:
              - { id: sub, type: call, with: { workflow: copy-disk, inputs: { disk: vda } } }
            outputs:
              result: ${ steps.sub.outputs.copied }
            """);

        var done = await host.CompletionAsync(parent.Id);
        Assert.Equal(InstanceStatus.Completed, done.Status);
        Assert.Equal("vda copied", done.Output!["result"]!.GetValue<string>());
        var child = await host.InstanceAsync($"{parent.Id}.sub.1");
        Assert.Equal(parent.Id, child.ParentInstanceId);
        Assert.Equal("sub", child.ParentStepPath);
        Assert.Equal(1, host.Probe.Count("copy-vda"));
    }

    [Fact]
    public async Task A_faulted_child_faults_the_call_with_its_reason()
    {
        await using var host = await TestHost.CreateAsync("memory");
        host.Define("""
            name: broken-child
            steps:
              - { id: pivot, type: fail, with: { message: "block-job-complete refused" } }
            """);
        var parent = await host.RunAsync("""
            name: parent
            steps:
              - { id: sub, type: call, with: { workflow: broken-child } }
            """);

        var done = await host.CompletionAsync(parent.Id);
        Assert.Equal(InstanceStatus.Faulted, done.Status);
        Assert.Equal($"step 'sub': sub-workflow 'broken-child' ({parent.Id}.sub.1) faulted: step 'pivot': block-job-complete refused", done.Fault);
    }

    [Fact]
    public async Task Calling_an_unknown_workflow_faults_the_call()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var parent = await host.RunAsync("""
            name: parent
            steps:
              - { id: sub, type: call, with: { workflow: nowhere } }
            """);

        var done = await host.CompletionAsync(parent.Id);
        Assert.Equal(InstanceStatus.Faulted, done.Status);
        Assert.Contains("workflow 'nowhere' is not defined", done.Fault);
    }

    [Fact]
    public async Task Cancelling_the_parent_cancels_the_waiting_child()
    {
        await using var host = await TestHost.CreateAsync("memory");
        host.Define("""
            name: slow-child
            steps:
              - { id: wait, type: waitEvent, with: { event: never } }
            """);
        var parent = await host.RunAsync("""
            name: parent
            steps:
              - { id: sub, type: call, with: { workflow: slow-child } }
            """);
        var childId = $"{parent.Id}.sub.1";
        Assert.Equal(InstanceStatus.Suspended, (await host.InstanceAsync(childId)).Status);

        Assert.True(await host.Engine.CancelAsync(parent.Id, "operator said so"));

        Assert.Equal(InstanceStatus.Cancelled, (await host.InstanceAsync(parent.Id)).Status);
        var child = await host.CompletionAsync(childId);
        Assert.Equal(InstanceStatus.Cancelled, child.Status);
        Assert.Contains("operator said so", child.Fault);
    }
}
