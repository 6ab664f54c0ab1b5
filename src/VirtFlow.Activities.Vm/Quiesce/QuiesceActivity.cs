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
    private static readonly string[] Modes = [QuiesceModes.Auto, QuiesceModes.FsFreeze, QuiesceModes.Pause, QuiesceModes.None];

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.quiesce",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Quiesces the guest under a lease held by the host's worker: freezes its filesystems through the guest agent, or pauses it. "
            + "Undo it with vm.unquiesce (in a finally); the worker undoes it on its own when the lease runs out.",
        Inputs =
        [
            CommonInputs.Host,
            CommonInputs.Vm,
            new("mode", "string", "auto: fsfreeze through the guest agent, else pause; fsfreeze: the agent only (fails without it); pause: stop the CPUs; none: nothing (crash-consistent).",
                Default: "auto", Enum: Modes),
            new("lease", "duration", "How long the quiesce holds without a renewal before the worker undoes it.", Default: "60s"),
            new("agentTimeout", "duration", "How long the guest agent may take to answer (auto falls back to pause after it).", Default: "5s"),
            CommonInputs.CommandTimeout,
        ],
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
        var host = context.HostId();
        var mode = context.Choice("mode", QuiesceModes.Auto, Modes);
        var lease = context.Duration("lease", TimeSpan.FromSeconds(60));
        var agentTimeout = context.Duration("agentTimeout", TimeSpan.FromSeconds(5));
        if (lease <= TimeSpan.Zero) throw new VmInputException("input 'lease' must be longer than 0s");
        var command = new QuiesceVm { CommandId = AssignedByOutbox, HostId = host, Vm = context.RequiredString("vm"), Mode = mode, Lease = lease, AgentTimeout = agentTimeout };
        return Ask(context, host, command, "quiesce", context.Duration("commandTimeout", CommonInputs.DefaultCommandTimeout) + agentTimeout);
    }

    private protected override ActivityOutcome OnReply(ActivityContext context, PendingCommand command, HostReply reply)
    {
        var vm = context.RequiredString("vm");
        var mode = context.OptionalString("mode") ?? "auto";
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
        context.Journal("Quiesced", $"VM '{vm}' quiesced ({outputs["method"]}, lease {context.OptionalString("lease") ?? "60s"})", outputs.DeepClone());
        return ActivityOutcome.Complete(outputs);
    }

    private protected override ActivityOutcome OnNoAnswer(ActivityContext context, PendingCommand command) => ActivityOutcome.Fault(
        $"quiesce of VM '{context.RequiredString("vm")}': {NoAnswer(command)}; if it happened, the worker undoes it when its lease runs out",
        "NoAnswer");
}
