using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.Commands;

/// <summary><c>vm.renewQuiesce</c>: extends a quiesce lease (for work between vm.quiesce and vm.unquiesce that takes longer than the lease).</summary>
public sealed class RenewQuiesceActivity : CommandActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.renewQuiesce",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Extends the lease of a quiesce (vm.quiesce's leaseId) so the worker does not undo it yet.",
        InputRecord = typeof(RenewQuiesceInputs),
        Outputs =
        [
            new("leaseId", "string", "The lease renewed."),
            new("expiresAt", "string", "When the worker releases the guest on its own unless renewed again (ISO 8601, host clock)."),
        ],
    };

    protected override HostCommand Build(ActivityContext context, string host, string vm) => new RenewQuiesceLease
    {
        CommandId = AssignedByOutbox,
        HostId = host,
        Vm = vm,
        LeaseId = In<RenewQuiesceInputs>(context).LeaseId,
        Lease = In<RenewQuiesceInputs>(context).Lease,
    };

    private protected override JsonObject Outputs(ActivityContext context, HostReply reply) => new()
    {
        ["leaseId"] = reply.As<QuiesceResult>()?.LeaseId ?? In<RenewQuiesceInputs>(context).LeaseId,
        ["expiresAt"] = reply.As<QuiesceResult>()?.ExpiresAt.ToString("O"),
    };

    protected override string What(ActivityContext context) => "renewing the quiesce lease";
}

/// <summary>vm.renewQuiesce's inputs.</summary>
internal sealed record RenewQuiesceInputs(
    string Host,
    string Vm,
    [property: Input("The leaseId output of vm.quiesce.", Required = true)] string LeaseId,
    [property: Input("The new lease, from now.", Default = "60s")] TimeSpan Lease,
    TimeSpan CommandTimeout) : VmInputs(Host, Vm, CommandTimeout);
