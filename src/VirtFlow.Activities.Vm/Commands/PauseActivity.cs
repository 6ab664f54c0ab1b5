using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Commands;

/// <summary><c>vm.pause</c>: stops the VM's CPUs (QMP <c>stop</c>). No lease: prefer vm.quiesce with mode pause inside a workflow.</summary>
public sealed class PauseActivity : CommandActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.pause",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Pauses the VM's CPUs (QMP stop). Holds no lease: to pause around a pivot use vm.quiesce with mode pause, which the worker undoes on its own.",
        InputRecord = typeof(VmInputs),
        Outputs =
        [
            new("runState", "string", "QEMU's run state afterwards."),
            new("at", "string", "When the host paused it (ISO 8601, host clock)."),
        ],
    };

    protected override HostCommand Build(ActivityContext context, string host, string vm) => new PauseVm { CommandId = AssignedByOutbox, HostId = host, Vm = vm };

    private protected override JsonObject Outputs(ActivityContext context, HostReply reply) => new()
    {
        ["runState"] = reply.As<VmRunStateResult>()?.RunState,
        ["at"] = reply.Result.At.ToString("O"),
    };

    protected override string What(ActivityContext context) => "pause";
}
