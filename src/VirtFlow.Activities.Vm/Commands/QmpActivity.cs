using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.Commands;

/// <summary><c>vm.qmp</c>: any QMP command on the VM's monitor, for scripting; outputs QMP's return value.</summary>
public sealed class QmpActivity : CommandActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.qmp",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Runs any QMP command on the VM's monitor (through the host's worker) and outputs its return value.",
        InputRecord = typeof(QmpInputs),
        Outputs = [new("return", "any", "QMP's return value.")],
    };

    protected override HostCommand Build(ActivityContext context, string host, string vm) => new RawQmp
    {
        CommandId = AssignedByOutbox,
        HostId = host,
        Vm = vm,
        Command = In<QmpInputs>(context).Command,
        ArgumentsJson = In<QmpInputs>(context).Arguments?.ToJsonString(),
    };

    private protected override JsonObject Outputs(ActivityContext context, HostReply reply) => new() { ["return"] = reply.Data?.DeepClone() };

    protected override string What(ActivityContext context) => $"QMP {In<QmpInputs>(context).Command}";
}

/// <summary>vm.qmp's inputs: the QMP command's arguments stay JSON (they are QMP's, not ours).</summary>
internal sealed record QmpInputs(
    string Host,
    string Vm,
    [property: Input("The QMP command, e.g. query-block.", Required = true)] string Command,
    [property: Input("Its arguments.")] JsonObject? Arguments,
    TimeSpan CommandTimeout) : VmInputs(Host, Vm, CommandTimeout);
