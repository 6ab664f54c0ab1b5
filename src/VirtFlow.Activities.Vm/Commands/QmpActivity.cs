using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

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
        Inputs =
        [
            CommonInputs.Host,
            CommonInputs.Vm,
            new("command", "string", "The QMP command, e.g. query-block.", Required: true),
            new("arguments", "object", "Its arguments."),
            CommonInputs.CommandTimeout,
        ],
        Outputs = [new("return", "any", "QMP's return value.")],
    };

    protected override HostCommand Build(ActivityContext context, string host, string vm) => new RawQmp
    {
        CommandId = AssignedByOutbox,
        HostId = host,
        Vm = vm,
        Command = context.RequiredString("command"),
        ArgumentsJson = context.OptionalObject("arguments")?.ToJsonString(),
    };

    private protected override JsonObject Outputs(ActivityContext context, HostReply reply) => new() { ["return"] = reply.Data?.DeepClone() };

    protected override string What(ActivityContext context) => $"QMP {context.OptionalString("command")}";
}
