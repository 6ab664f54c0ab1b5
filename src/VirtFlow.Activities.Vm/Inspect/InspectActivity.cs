using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Commands;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Activities.InputRecords;

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
        InputRecord = typeof(InspectInputs),
        Outputs =
        [
            new("disks", "array", "Every disk: [{ device, node, file, virtualSize, format, hasJob }]."),
            new("disksUnder", "array", "With 'under': the disks under it: [{ device, file, relativePath, format, virtualSize }]; else empty."),
            new("runState", "string", "QEMU's run state (running, paused...)."),
            new("qemuVersion", "string", "QEMU's version."),
        ],
    };

    protected override HostCommand Build(ActivityContext context, string host, string vm) =>
        new InspectVm { CommandId = AssignedByOutbox, HostId = host, Vm = vm, Under = In<InspectInputs>(context).Under };

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

/// <summary>vm.inspect's inputs.</summary>
internal sealed record InspectInputs(
    string Host,
    string Vm,
    [property: Input("An absolute folder on the host: disksUnder lists the disks whose image lies under it.")] string? Under,
    TimeSpan CommandTimeout) : VmInputs(Host, Vm, CommandTimeout);
