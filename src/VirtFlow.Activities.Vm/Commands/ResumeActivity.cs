using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Commands;

/// <summary><c>vm.resume</c>: lets the VM's CPUs run again (QMP <c>cont</c>).</summary>
public sealed class ResumeActivity : CommandActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.resume",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Resumes the VM's CPUs (QMP cont). To undo vm.quiesce use vm.unquiesce, which restores the run state found before.",
        InputRecord = typeof(VmInputs),
        Outputs =
        [
            new("runState", "string", "QEMU's run state afterwards."),
            new("at", "string", "When the host resumed it (ISO 8601, host clock)."),
        ],
    };

    protected override HostCommand Build(ActivityContext context, string host, string vm) => new ResumeVm { CommandId = AssignedByOutbox, HostId = host, Vm = vm };

    private protected override JsonObject Outputs(ActivityContext context, HostReply reply) => new()
    {
        ["runState"] = reply.As<VmRunStateResult>()?.RunState,
        ["at"] = reply.Result.At.ToString("O"),
    };

    protected override string What(ActivityContext context) => "resume";
}
