using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Commands;

/// <summary><c>vm.query</c>: what QEMU has for the VM right now: its jobs, block devices and run state (docs/rules.md#r3-reconcile).</summary>
public sealed class QueryActivity : CommandActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.query",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Asks the host what QEMU has for the VM right now: its block jobs, block devices and run state.",
        InputRecord = typeof(VmInputs),
        Outputs =
        [
            new("jobs", "array", "The VM's block jobs, concluded ones included until dismissed: [{ jobId, type, status, offset, length, error, outcome }]."),
            new("devices", "array", "Each block device and the node it uses now: [{ device, nodeName, file }]."),
            new("runState", "string", "QEMU's run state (running, paused...)."),
            new("running", "boolean", "True when the vCPUs run."),
            new("leaseId", "string", "The quiesce lease the VM is under, if any."),
        ],
    };

    protected override HostCommand Build(ActivityContext context, string host, string vm) => new QueryVm { CommandId = AssignedByOutbox, HostId = host, Vm = vm };

    private protected override JsonObject Outputs(ActivityContext context, HostReply reply)
    {
        var result = reply.As<QueryVmResult>();
        return new JsonObject
        {
            ["jobs"] = HostReply.ToOutput(result?.Jobs) ?? new JsonArray(),
            ["devices"] = HostReply.ToOutput(result?.Devices) ?? new JsonArray(),
            ["runState"] = result?.RunState,
            ["running"] = result?.Running,
            ["leaseId"] = result?.LeaseId,
        };
    }

    protected override string What(ActivityContext context) => "query";
}
