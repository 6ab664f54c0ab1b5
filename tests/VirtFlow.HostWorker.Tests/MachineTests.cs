using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.HostWorker.Tests;

public sealed class MachineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Pause_resume_query_and_raw_QMP_do_what_QEMU_says_and_bad_commands_fail_with_a_named_class()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, StartRunning = true });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);

        Assert.Equal(("paused", false), ToTuple(await worker.RunOkAsync<VmRunStateResult>(Commands.Pause())));
        Assert.Equal(("running", true), ToTuple(await worker.RunOkAsync<VmRunStateResult>(Commands.Resume())));

        var query = await worker.RunOkAsync<QueryVmResult>(Commands.Query());
        Assert.Equal(("running", true, null), (query.RunState, query.Running, query.LeaseId));
        Assert.Equal(new BlockDeviceSnapshot("vda", "src-vda", vm.Disks[0].ImagePath), Assert.Single(query.Devices));
        Assert.Empty(query.Jobs);

        var raw = await worker.RunAsync(new RawQmp
        {
            CommandId = WorkerHarness.NewId("raw"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName,
            Command = "query-named-block-nodes", ArgumentsJson = """{"flat": true}""",
        });
        Assert.True(raw.Success, raw.Error);
        Assert.Contains(JsonNode.Parse(raw.ResultJson!)!.AsArray(), n => n!["node-name"]!.GetValue<string>() == "src-vda");

        var qemuError = await worker.RunAsync(new RawQmp { CommandId = WorkerHarness.NewId("raw"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, Command = "query-no-such-command" });
        Assert.Equal("CommandNotFound", qemuError.ErrorClass);
        Assert.Contains("vm1", qemuError.Error, StringComparison.Ordinal);

        var unknownVm = await worker.RunAsync(Commands.Query() with { Vm = "vm9" });
        Assert.Equal(HostErrorClasses.UnknownVm, unknownVm.ErrorClass);
        var wrongHost = await worker.RunAsync(Commands.Query() with { HostId = "h2" });
        Assert.Equal(HostErrorClasses.WrongHost, wrongHost.ErrorClass);
        var noAgent = await worker.RunAsync(Commands.Quiesce(QuiesceModes.FsFreeze));
        Assert.Equal(HostErrorClasses.AgentUnavailable, noAgent.ErrorClass);
        var badMode = await worker.RunAsync(Commands.Quiesce("hibernate"));
        Assert.Equal(HostErrorClasses.BadRequest, badMode.ErrorClass);
        var noJobs = await worker.RunAsync(Commands.Pivot());
        Assert.Equal(HostErrorClasses.BadRequest, noJobs.ErrorClass);
        // A job that is not there counts as past the point (dismissed after a restart): reported as found, nothing done.
        var gone = Assert.Single((await worker.RunOkAsync<JobsResult>(Commands.Finalize("nope"))).Jobs);
        Assert.Equal((JobStatus.Null, false), (gone.Status, gone.Acted));
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
    }

    private static (string, bool) ToTuple(VmRunStateResult r) => (r.RunState, r.Running);
}
