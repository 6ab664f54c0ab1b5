namespace VirtFlow.Distributed.Tests.Support;

/// <summary>
/// What the test server loads: the two shipped workflows, as shipped, and two made for kill points. A gate (an event the
/// test sends) holds an instance at a known step; a speed limit holds mirrors before READY until the test lifts it from
/// its own monitor. Nothing else differs from copy-disks-pivot.
/// </summary>
public static class TestWorkflows
{
    public const string CopyDisksPivot = "copy-disks-pivot";
    public const string PointInTimeCopy = "point-in-time-copy";
    public const string GatedMove = "gated-move";
    public const string FrozenGate = "frozen-gate";

    /// <summary>copy-disks-pivot with a mirror speed limit and, between READY and the switch, a gate (when <c>gate</c> is given).</summary>
    private const string GatedMoveYaml = """
        name: gated-move
        version: 1
        description: copy-disks-pivot with a mirror speed limit and a gate between READY and the switch (tests' kill points).
        inputs:
          host: { type: string, required: true }
          vm: { type: string, required: true }
          disks: { type: array, required: true }
          quiesce: { type: string, default: pause }
          speed: { type: integer, default: 0 }
          gate: { type: string, default: "" }
        outputs:
          jobs: ${ steps.pivot.outputs.pivoted }
          quiesceMethod: ${ steps.pivot.outputs.quiesceMethod }
        steps:
          - id: move
            type: try
            steps:
              - id: mirror
                type: vm.mirror
                with: { host: "${ inputs.host }", vm: "${ inputs.vm }", disks: "${ inputs.disks }", speed: "${ inputs.speed }" }
              - id: wait
                type: vm.waitReady
                with: { host: "${ inputs.host }", vm: "${ inputs.vm }", jobs: "${ steps.mirror.outputs.jobs }", timeout: 5m }
              - id: gate
                type: waitEvent
                if: ${ inputs.gate !== '' }
                with: { event: gate, correlation: "${ inputs.gate }" }
              - id: pivot
                type: vm.pivot
                with: { host: "${ inputs.host }", vm: "${ inputs.vm }", jobs: "${ steps.wait.outputs.jobs }", quiesce: "${ inputs.quiesce }" }
            finally:
              - id: rollback
                type: vm.cancel
                if: ${ steps.pivot?.status !== 'completed' }
                continueOnError: true
                with:
                  host: ${ inputs.host }
                  vm: ${ inputs.vm }
                  jobs: ${ steps.wait?.outputs.jobs ?? steps.mirror?.outputs.jobs ?? [] }
                  includeInstanceJobs: true
                  force: true
        """;

    /// <summary>Freezes the guest (fsfreeze, a short lease), waits at a gate, thaws in a finally.</summary>
    private const string FrozenGateYaml = """
        name: frozen-gate
        version: 1
        description: Freezes the guest under a short lease and waits at a gate; thaws in a finally (the engine-dies-while-frozen test).
        inputs:
          host: { type: string, required: true }
          vm: { type: string, required: true }
          lease: { type: duration, default: 6s }
          gate: { type: string, required: true }
        outputs:
          method: ${ steps.freeze.outputs.method }
          released: ${ steps.thaw.outputs.released }
        steps:
          - id: hold
            type: try
            steps:
              - id: freeze
                type: vm.quiesce
                with: { host: "${ inputs.host }", vm: "${ inputs.vm }", mode: fsfreeze, lease: "${ inputs.lease }" }
              - id: gate
                type: waitEvent
                with: { event: gate, correlation: "${ inputs.gate }" }
            finally:
              - id: thaw
                type: vm.unquiesce
                with: { host: "${ inputs.host }", vm: "${ inputs.vm }", leaseId: "${ steps.freeze.outputs.leaseId }" }
        """;

    /// <summary>The inputs of <see cref="GatedMove"/>: a mirror speed limit (0: none) and a gate correlation ("" : no gate).</summary>
    public static System.Text.Json.Nodes.JsonObject Gated(string host, string vm, IEnumerable<DiskMove> disks, long speed = 0, string gate = "", string quiesce = "pause")
    {
        var inputs = DiskMove.Inputs(host, vm, quiesce, disks);
        inputs["speed"] = speed;
        inputs["gate"] = gate;
        return inputs;
    }

    /// <summary>Writes every workflow into DIR/workflows and returns that folder.</summary>
    public static string WriteAll(string dir)
    {
        var workflows = Path.Combine(dir, "workflows");
        Directory.CreateDirectory(workflows);
        foreach (var shipped in new[] { CopyDisksPivot, PointInTimeCopy })
            File.Copy(Path.Combine(TestDirs.RepoRoot, "workflows", shipped + ".yaml"), Path.Combine(workflows, shipped + ".yaml"));
        File.WriteAllText(Path.Combine(workflows, GatedMove + ".yaml"), GatedMoveYaml);
        File.WriteAllText(Path.Combine(workflows, FrozenGate + ".yaml"), FrozenGateYaml);
        return workflows;
    }
}
