using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Fleet;

/// <summary><c>vm.createFolder</c>: the host's worker creates a folder (and its parents), only inside its storage roots (<see cref="CreateFolder"/>).</summary>
public sealed class CreateFolderActivity : HostLevelActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.createFolder",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Creates a folder (and its parents) on the host, e.g. for tonight's copies; only inside the worker's storage roots.",
        Inputs =
        [
            CommonInputs.Host,
            VmNamed("the folder is for"),
            new("path", "string", "The folder to create.", Required: true),
            CommonInputs.CommandTimeout,
        ],
        Outputs =
        [
            new("path", "string", "The folder, links resolved."),
            new("created", "boolean", "False when it existed already."),
        ],
    };

    protected override HostCommand Build(ActivityContext context, string host, string vm) =>
        new CreateFolder { CommandId = AssignedByOutbox, HostId = host, Vm = vm, Path = context.RequiredString("path") };

    private protected override JsonObject Outputs(ActivityContext context, HostReply reply)
    {
        var result = reply.As<CreateFolderResult>();
        return new JsonObject { ["path"] = result?.Path, ["created"] = result?.Created };
    }

    protected override string What(ActivityContext context) => "create folder";
}
