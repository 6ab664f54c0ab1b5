using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Commands;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Inspect;

/// <summary>
/// <c>vm.inspect</c>: the host's worker reports the VM's disks (the preflight's <see cref="InspectVm"/>, changing nothing) and,
/// with <c>under</c>, which of them lie under that folder (links resolved), with their paths relative to it
/// (workflows/migrate-vm-storage.yaml moves exactly those).
/// </summary>
public sealed class InspectActivity : CommandActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.inspect",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Asks the host for the VM's disks (device, file, format, size) and which of them lie under a folder; changes nothing.",
        Inputs =
        [
            CommonInputs.Host, CommonInputs.Vm,
            new("under", "string", "An absolute folder on the host: disksUnder lists the disks whose image lies under it."),
            CommonInputs.CommandTimeout,
        ],
        Outputs =
        [
            new("disks", "array", "Every disk: [{ device, node, file, virtualSize, format, hasJob }]."),
            new("disksUnder", "array", "With 'under': the disks under it: [{ device, file, relativePath, format, virtualSize }]; else empty."),
            new("runState", "string", "QEMU's run state (running, paused...)."),
            new("qemuVersion", "string", "QEMU's version."),
        ],
    };

    protected override HostCommand Build(ActivityContext context, string host, string vm) =>
        new InspectVm { CommandId = AssignedByOutbox, HostId = host, Vm = vm, Under = context.OptionalString("under") };

    private protected override JsonObject Outputs(ActivityContext context, HostReply reply)
    {
        var result = reply.As<InspectVmResult>();
        return new JsonObject
        {
            ["disks"] = HostReply.ToOutput(result?.Disks) ?? new JsonArray(),
            ["disksUnder"] = HostReply.ToOutput(result?.DisksUnder) ?? new JsonArray(),
            ["runState"] = result?.RunState,
            ["qemuVersion"] = result?.QemuVersion,
        };
    }

    protected override string What(ActivityContext context) => "inspect";
}
