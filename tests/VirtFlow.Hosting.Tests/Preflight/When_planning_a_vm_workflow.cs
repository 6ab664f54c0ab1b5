using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Sqlite;
using VirtFlow.Hosting.Engine;
using VirtFlow.Hosting.Preflight;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Preflight;

/// <summary>
/// <see cref="VmPreflight"/> on a real engine and SQLite store, with the shipped copy-disks-pivot: inputs, the lock and the
/// worker's answer become one plan with every problem on one line; nothing is stored. The worker's side (a real
/// <c>virtflow worker</c> answering InspectVm) is stood in for by a recorded answer here: its handler lives in the worker.
/// </summary>
public sealed class When_planning_a_vm_workflow : IAsyncLifetime
{
    private SqliteWorkflowStore _store = null!;
    private WorkflowEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteWorkflowStore(Path.Combine(TestDirs.Create("preflight"), "virtflow.db"));
        await _store.InitializeAsync();
        var definitions = new WorkflowDefinitionRegistry(_store);
        _engine = new WorkflowEngine(new WorkflowEngineOptions { EngineId = "preflight" }, _store, new JintExpressionEvaluator(), VirtFlowActivities.CreateRegistry(), definitions);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static WorkflowDefinition Shipped(string name) =>
        WorkflowParser.Parse(File.ReadAllText(Path.Combine(TestDirs.RepoRoot, "workflows", name + ".yaml")), name + ".yaml").Definition!;

    private static JsonObject Inputs(string quiesce = "fsfreeze") => new()
    {
        ["host"] = "h1",
        ["vm"] = "web1",
        ["quiesce"] = quiesce,
        ["disks"] = new JsonArray(
            new JsonObject { ["device"] = "vda", ["target"] = "/srv/vm/new/vda.qcow2" },
            new JsonObject { ["device"] = "vdb", ["target"] = "/srv/vm/new/vdb.qcow2" }),
    };

    [Fact]
    public async Task The_worker_facts_become_the_plan_and_each_reason_to_fail_one_line()
    {
        var inspector = new RecordedInspector(Answer(new InspectVmResult("9.2.0", "running",
            [new InspectedDisk("vda", "drive-vda", "/srv/vm/vda.qcow2", 10L << 30, "qcow2", false), new InspectedDisk("vdb", "drive-vdb", "/srv/vm/vdb.raw", 1L << 30, "raw", false)],
            [new InspectedTarget("/srv/vm/new/vda.qcow2", "/srv/vm", false, 2L << 30), new InspectedTarget("/srv/vm/new/vdb.qcow2", "/srv/vm", true, 2L << 30)],
            new GuestAgentCheck(false, "guest-ping timed out"), [])));
        var preflight = new VmPreflight(_engine, TimeProvider.System, inspector);

        var plan = await preflight.PlanAsync(Shipped("copy-disks-pivot"), Inputs());

        var sent = Assert.Single(inspector.Sent);
        Assert.StartsWith("preflight:", sent.CommandId, StringComparison.Ordinal);
        Assert.Equal(("h1", "web1", true), (sent.HostId, sent.Vm, sent.CheckGuestAgent));
        Assert.Equal(["vda", "vdb"], sent.Devices);
        Assert.Equal(["/srv/vm/new/vda.qcow2", "/srv/vm/new/vdb.qcow2"], sent.Targets);
        Assert.Equal("vm:h1/web1", plan.LockKey);
        Assert.Null(plan.LockHolder);
        Assert.Equal("9.2.0", plan.QemuVersion);
        Assert.False(plan.GuestAgentAnswers);
        Assert.Equal("/srv/vm/vda.qcow2", plan.Disks[0].CurrentFile);
        Assert.Equal(10L << 30, plan.Disks[0].VirtualSize);
        Assert.Equal("raw", plan.Disks[1].Format);
        Assert.True(plan.Disks[1].TargetExists);
        Assert.False(plan.CanRun);
        Assert.Equal(
        [
            "target /srv/vm/new/vda.qcow2 of vda: 2,147,483,648 bytes free under /srv/vm, the disk needs up to 10,737,418,240",
            "target /srv/vm/new/vdb.qcow2 of vdb exists already: the copy would not overwrite it",
            "quiesce fsfreeze: the guest agent of VM 'web1' does not answer (guest-ping timed out)",
        ], plan.Problems);
        Assert.Empty(await _store.ListInstancesAsync(new InstanceQuery()));
    }

    [Fact]
    public async Task A_held_lock_and_a_missing_input_are_problems_found_without_asking()
    {
        var holder = await _engine.StartAsync(LockedWaiting(), Inputs());
        var inspector = new RecordedInspector(Answer(new InspectVmResult("9.2.0", "running", [], [], null, ["VM 'web1' is not known to host h1"])));
        var preflight = new VmPreflight(_engine, TimeProvider.System, inspector);

        var plan = await preflight.PlanAsync(Shipped("copy-disks-pivot"), Inputs(quiesce: "pause"));
        Assert.Equal(holder, plan.LockHolder);
        Assert.Equal($"lock 'vm:h1/web1' is held by instance {holder}: a start now would be refused until it ends", plan.Problems[0]);
        Assert.Equal("VM 'web1' is not known to host h1", plan.Problems[1]);
        Assert.False(Assert.Single(inspector.Sent).CheckGuestAgent);

        var missing = Inputs();
        missing.Remove("vm");
        var noVm = await preflight.PlanAsync(Shipped("copy-disks-pivot"), missing);
        Assert.Contains(noVm.Problems, p => p.Contains("'vm'", StringComparison.Ordinal));
        Assert.Single(inspector.Sent); // not asked without a VM
        Assert.Single(await _store.ListInstancesAsync(new InstanceQuery()));
    }

    [Fact]
    public async Task A_worker_that_does_not_answer_is_a_problem_naming_the_host()
    {
        var preflight = new VmPreflight(_engine, TimeProvider.System, new RecordedInspector(null));
        var plan = await preflight.PlanAsync(Shipped("copy-disks-pivot"), Inputs(), TimeSpan.FromSeconds(2));
        Assert.Equal(["the worker of host 'h1' did not answer within 2s: is 'virtflow worker --host-id h1' running?"], plan.Problems);
    }

    /// <summary>A workflow holding the same lock key as the shipped ones, waiting.</summary>
    private static WorkflowDefinition LockedWaiting() => WorkflowParser.Parse("""
        name: holder
        lock: "vm:${ inputs.host }/${ inputs.vm }"
        inputs: { host: { type: string }, vm: { type: string }, quiesce: { type: string }, disks: { type: array } }
        steps: [ { id: hold, type: waitEvent, with: { event: go, correlation: x } } ]
        """, "holder.yaml").Definition!;

    private static CommandResult Answer(InspectVmResult result) => new()
    {
        EventId = "h1/result/x",
        HostId = "h1",
        CommandId = "x",
        Vm = "web1",
        Success = true,
        ResultJson = HostResultJson.Serialize(result),
    };

    /// <summary>Stands in for the worker (its InspectVm handler is the worker's): records the command, gives a fixed answer.</summary>
    private sealed class RecordedInspector(CommandResult? answer) : IVmInspector
    {
        public List<InspectVm> Sent { get; } = [];

        public Task<CommandResult?> InspectAsync(InspectVm command, TimeSpan timeout, CancellationToken ct)
        {
            Sent.Add(command);
            return Task.FromResult(answer);
        }
    }
}
