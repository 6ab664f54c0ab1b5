using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Quiesce;

/// <summary>
/// <c>vm.quiesce</c>: freezes the guest's filesystems (guest agent) or pauses its CPUs, under a lease the worker
/// holds (docs/rules.md#r5-quiesce-lease): without an <c>UnquiesceVm</c> or a renewal before the lease runs out, the
/// worker undoes it on its own. The worker records the run state it found (<c>wasPaused</c>), so undoing it
/// restores exactly that. Put the undo (<c>vm.unquiesce</c>) in a <c>finally</c>; this activity sends no
/// undo of its own (no answer, or abandoned): without a lease id an undo could release another instance's
/// lease, and the worker's lease is the backstop.
/// </summary>
public sealed class QuiesceActivity : VmActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.quiesce",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Quiesces the guest under a lease held by the host's worker: freezes its filesystems through the guest agent, or pauses it. "
            + "Undo it with vm.unquiesce (in a finally); the worker undoes it on its own when the lease runs out.",
        InputRecord = typeof(QuiesceInputs),
        Outputs =
        [
            new("leaseId", "string", "The lease: give it to vm.unquiesce (and vm.renewQuiesce)."),
            new("method", "string", "What was done: fsfreeze, pause or none."),
            new("frozenFilesystems", "integer", "How many filesystems the guest agent froze (fsfreeze)."),
            new("wasPaused", "boolean", "True when the VM was already paused (undoing leaves it paused)."),
            new("quiescedAt", "string", "When the host had quiesced it (ISO 8601, host clock)."),
            new("expiresAt", "string", "When the worker releases the guest on its own unless renewed (ISO 8601, host clock)."),
        ],
    };

    protected override ActivityOutcome Start(ActivityContext context)
    {
        var with = In<QuiesceInputs>(context);
        var command = new QuiesceVm { CommandId = AssignedByOutbox, HostId = with.Host, Vm = with.Vm, Mode = with.Mode, Lease = with.Lease, AgentTimeout = with.AgentTimeout };
        return Ask(context, with.Host, command, "quiesce", with.CommandTimeout + with.AgentTimeout);
    }

    private protected override ActivityOutcome OnReply(ActivityContext context, PendingCommand command, HostReply reply)
    {
        var with = In<QuiesceInputs>(context);
        var (vm, mode) = (with.Vm, with.Mode);
        if (!reply.Success)
            return ActivityOutcome.Fault(ReplyDetails.Explain($"quiesce ({mode}) of VM '{vm}'", vm, [], reply.ErrorText), reply.Result.ErrorClass ?? "QuiesceFailed");
        var result = reply.As<QuiesceResult>();
        var outputs = new JsonObject
        {
            ["leaseId"] = result?.LeaseId,
            ["method"] = result?.Method ?? mode,
            ["frozenFilesystems"] = result?.FrozenFilesystems ?? 0,
            ["wasPaused"] = result?.WasPaused ?? false,
            ["quiescedAt"] = reply.Result.At.ToString("O"),
            ["expiresAt"] = result?.ExpiresAt.ToString("O"),
        };
        context.Journal("Quiesced", $"VM '{vm}' quiesced ({outputs["method"]}, lease {DurationText.AsWritten(context.Inputs["lease"], with.Lease)})", outputs.DeepClone());
        return ActivityOutcome.Complete(outputs);
    }

    private protected override ActivityOutcome OnNoAnswer(ActivityContext context, PendingCommand command) => ActivityOutcome.Fault(
        $"quiesce of VM '{In<QuiesceInputs>(context).Vm}': {NoAnswer(command)}; if it happened, the worker undoes it when its lease runs out",
        "NoAnswer");
}
