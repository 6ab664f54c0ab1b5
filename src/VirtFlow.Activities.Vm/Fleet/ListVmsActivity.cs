using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Commands;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Fleet;

/// <summary><c>vm.list</c>: every VM the host's worker serves, with its disks (<see cref="ListVms"/>).</summary>
public sealed class ListVmsActivity : CommandActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.list",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Lists every VM the host's worker serves, with its disks as QEMU has them now.",
        InputRecord = typeof(HostInputs),
        Outputs =
        [
            new("vms", "array", "Each VM: [{ name, connected, disks: [{ device, node, file, virtualSize, format, hasJob }] }]."),
            new("names", "array", "The VMs' names."),
        ],
    };

    protected override string VmOf(ActivityContext context) => "*";

    protected override HostCommand Build(ActivityContext context, string host, string vm) => new ListVms { CommandId = AssignedByOutbox, HostId = host, Vm = vm };

    private protected override JsonObject Outputs(ActivityContext context, HostReply reply)
    {
        var listed = reply.As<ListVmsResult>()?.Vms ?? [];
        return new JsonObject
        {
            ["vms"] = HostReply.ToOutput(listed),
            ["names"] = new JsonArray([.. listed.Select(v => (JsonNode?)JsonValue.Create(v.Name))]),
        };
    }

    protected override string What(ActivityContext context) => "list VMs";
}
