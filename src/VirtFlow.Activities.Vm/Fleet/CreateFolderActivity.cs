using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Activities.InputRecords;

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
        InputRecord = typeof(CreateFolderInputs),
        Outputs =
        [
            new("path", "string", "The folder, links resolved."),
            new("created", "boolean", "False when it existed already."),
        ],
    };

    protected override HostCommand Build(ActivityContext context, string host, string vm) =>
        new CreateFolder { CommandId = AssignedByOutbox, HostId = host, Vm = vm, Path = In<CreateFolderInputs>(context).Path };

    private protected override JsonObject Outputs(ActivityContext context, HostReply reply)
    {
        var result = reply.As<CreateFolderResult>();
        return new JsonObject { ["path"] = result?.Path, ["created"] = result?.Created };
    }

    protected override string What(ActivityContext context) => "create folder";
}

/// <summary>vm.createFolder's inputs.</summary>
internal sealed record CreateFolderInputs(
    string Host,
    [property: Input("The VM the folder is for (named in logs and errors).", Default = "*")] string Vm,
    [property: Input("The folder to create.", Required = true)] string Path,
    TimeSpan CommandTimeout) : HostInputs(Host, CommandTimeout), INamesVm;
