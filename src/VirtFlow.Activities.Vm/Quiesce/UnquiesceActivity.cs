using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Quiesce;

/// <summary>
/// <c>vm.unquiesce</c> (also registered as <c>vm.thaw</c>): undoes a quiesce: thaws the filesystems or resumes
/// the CPUs, back to the run state found before (a VM that was paused stays paused). Idempotent, and safe when
/// nothing is quiesced (the worker answers success), so it belongs in a <c>finally</c>.
/// </summary>
public sealed class UnquiesceActivity : VmActivity
{
    public UnquiesceActivity(string type = "vm.unquiesce")
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        Descriptor = new ActivityDescriptor
        {
            Type = type,
            Category = CommonInputs.Category,
            Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
            Description = "Undoes vm.quiesce: thaws the guest's filesystems or resumes it, back to the run state found before. "
                + "Idempotent and safe when nothing is quiesced: put it in a finally.",
            InputRecord = typeof(UnquiesceInputs),
            Outputs =
            [
                new("released", "boolean", "True when this released a held lease; false when none was held (already released, or run out)."),
                new("leaseId", "string", "The lease released (or the one asked for)."),
                new("method", "string", "How the guest had been quiesced: fsfreeze, pause or none."),
                new("thawedFilesystems", "integer", "Filesystems thawed."),
                new("resumed", "boolean", "True when the VM was resumed (it was running before the quiesce)."),
                new("runState", "string", "QEMU's run state afterwards."),
                new("at", "string", "When the host had undone it (ISO 8601, host clock): minus vm.quiesce's quiescedAt, the quiesce window."),
            ],
        };
    }

    public override ActivityDescriptor Descriptor { get; }

    protected override ActivityOutcome Start(ActivityContext context)
    {
        var with = In<UnquiesceInputs>(context);
        var leaseId = with.LeaseId is { Length: > 0 } l ? l : null;
        var command = new UnquiesceVm { CommandId = AssignedByOutbox, HostId = with.Host, Vm = with.Vm, LeaseId = leaseId };
        return Ask(context, with.Host, command, "unquiesce", with.CommandTimeout);
    }

    private protected override ActivityOutcome OnReply(ActivityContext context, PendingCommand command, HostReply reply)
    {
        var vm = In<UnquiesceInputs>(context).Vm;
        if (!reply.Success)
        {
            return ActivityOutcome.Fault(
                ReplyDetails.Explain($"undoing the quiesce of VM '{vm}'", vm, [], reply.ErrorText) + " (the worker undoes it on its own when the lease runs out)",
                reply.Result.ErrorClass ?? "UnquiesceFailed");
        }
        var result = reply.As<UnquiesceResult>();
        var outputs = new JsonObject
        {
            ["released"] = result?.Released ?? true,
            ["leaseId"] = result?.LeaseId,
            ["method"] = result?.Method,
            ["thawedFilesystems"] = result?.ThawedFilesystems ?? 0,
            ["resumed"] = result?.Resumed ?? false,
            ["runState"] = result?.RunState,
            ["at"] = reply.Result.At.ToString("O"),
        };
        context.Journal("Unquiesced", result is { Released: false }
            ? $"VM '{vm}' held no quiesce lease (already released, or run out): nothing to undo"
            : $"VM '{vm}' is no longer quiesced ({result?.Method ?? "released"})", outputs.DeepClone());
        return ActivityOutcome.Complete(outputs);
    }

    private protected override ActivityOutcome OnNoAnswer(ActivityContext context, PendingCommand command) => ActivityOutcome.Fault(
        $"undoing the quiesce of VM '{In<UnquiesceInputs>(context).Vm}': {NoAnswer(command)}; the worker undoes it on its own when the lease runs out",
        "NoAnswer");
}
