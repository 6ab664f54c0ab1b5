using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Commands;

/// <summary>
/// A VM activity that is one command and its reply: <c>vm.pause</c>, <c>vm.resume</c>, <c>vm.query</c>,
/// <c>vm.qmp</c>, <c>vm.renewQuiesce</c>. A failed reply faults with the worker's reason.
/// </summary>
public abstract class CommandActivity : VmActivity
{
    protected override ActivityOutcome Start(ActivityContext context)
    {
        var with = In<HostInputs>(context);
        return Ask(context, with.Host, Build(context, with.Host, VmOf(context)), "command", with.CommandTimeout);
    }

    private protected override ActivityOutcome OnReply(ActivityContext context, PendingCommand command, HostReply reply)
    {
        if (reply.Success) return ActivityOutcome.Complete(Outputs(context, reply));
        var vm = VmOf(context);
        return ActivityOutcome.Fault(ReplyDetails.Explain($"{What(context)} on VM '{vm}'", vm, [], reply.ErrorText), reply.Result.ErrorClass ?? "HostError");
    }

    /// <summary>The VM the command is about (its <c>vm</c> input; host-level commands say otherwise).</summary>
    protected virtual string VmOf(ActivityContext context) => In<VmInputs>(context).Vm;

    /// <summary>The command to send (its id is the outbox's).</summary>
    protected abstract HostCommand Build(ActivityContext context, string host, string vm);

    /// <summary>The outputs made of a successful reply.</summary>
    private protected abstract JsonObject Outputs(ActivityContext context, HostReply reply);

    /// <summary>How a fault names the operation, e.g. <c>pause</c>.</summary>
    protected abstract string What(ActivityContext context);
}
