using VirtFlow.Activities.Vm.Tests.Support;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Activities.Vm.Tests;

public sealed class When_validating_the_workflows
{
    [Theory]
    [InlineData("copy-disks-pivot.yaml", "host,vm,disks,quiesce,readyTimeout,speed")]
    [InlineData("point-in-time-copy.yaml", "host,vm,disks,quiesce,readyTimeout")]
    [InlineData("nightly-backup.yaml", "host,vms,backupRoot,keep,maxParallel,quiesce,readyTimeout")]
    [InlineData("evacuate-storage.yaml", "host,vms,from,to,speed,maxMirrors,quiesce,readyTimeout")]
    public void The_workflow_has_no_error_and_no_warning_against_the_VM_activities(string file, string inputs)
    {
        var result = WorkflowParser.Parse(File.ReadAllText(WorkflowFiles.Path(file)), file);
        var diagnostics = WorkflowValidator.Validate(result, VmActivities.CreateRegistry());

        Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics));
        Assert.Equal(inputs.Split(','), result.Definition!.Inputs.Select(i => i.Name));
    }

    [Fact]
    public void Every_workflow_of_the_repository_loads_against_the_built_in_and_VM_activities()
    {
        var loaded = new WorkflowLoader(VmActivities.CreateRegistry()).LoadDirectory(Path.GetDirectoryName(WorkflowFiles.Path("x"))!);

        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        Assert.NotNull(loaded.Find("copy-disks-pivot"));
        Assert.NotNull(loaded.Find("point-in-time-copy"));
        Assert.NotNull(loaded.Find("migrate-vm-storage"));
    }

    [Fact]
    public void Every_VM_activity_describes_its_inputs_and_outputs()
    {
        var registry = VmActivities.CreateRegistry();
        var vm = registry.All.Where(d => d.Type.StartsWith("vm.", StringComparison.Ordinal)).ToList();

        Assert.Equal(
            ["vm.cancel", "vm.createFolder", "vm.inspect", "vm.list", "vm.mirror", "vm.pause", "vm.pivot", "vm.pruneCopies", "vm.qmp", "vm.query", "vm.quiesce", "vm.renewQuiesce", "vm.resume", "vm.thaw", "vm.unquiesce", "vm.waitReady"],
            vm.Select(d => d.Type));
        Assert.All(vm, d =>
        {
            Assert.Equal("vm", d.Category);
            Assert.NotEmpty(d.Outputs);
            Assert.All(d.Inputs, i => Assert.False(string.IsNullOrWhiteSpace(i.Description)));
            Assert.Contains(d.Inputs, i => i.Name == "host" && i.Default!.GetValue<string>() == "local");
            // host-level commands (ListVms, CreateFolder, PruneCopies) name a VM only for logs, if at all
            if (d.Type is not ("vm.list" or "vm.createFolder" or "vm.pruneCopies")) Assert.Contains(d.Inputs, i => i.Name == "vm" && i.Required);
            Assert.Contains(d.Inputs, i => i.Name == "commandTimeout");
        });
    }

    [Fact]
    public void A_wrong_literal_is_reported_against_the_descriptor()
    {
        var result = WorkflowParser.Parse("""
            name: bad
            steps:
              - id: q
                type: vm.quiesce
                with: { vm: web1, mode: freeze }
            """, "bad.yaml");
        var diagnostics = WorkflowValidator.Validate(result, VmActivities.CreateRegistry());

        var error = Assert.Single(diagnostics);
        Assert.Contains("'freeze' is not a valid 'mode' for 'vm.quiesce'", error.Message, StringComparison.Ordinal);
    }
}
