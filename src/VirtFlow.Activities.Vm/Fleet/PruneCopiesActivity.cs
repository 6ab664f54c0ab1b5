using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.Fleet;

/// <summary>
/// <c>vm.pruneCopies</c>: the host's worker deletes the oldest dated copies of a folder, keeping the newest <c>keep</c>
/// (<see cref="PruneCopies"/>: only inside its storage roots).
/// </summary>
public sealed class PruneCopiesActivity : HostLevelActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.pruneCopies",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Deletes the oldest dated copies (folders named like 2026-12-07T020000Z) of a folder on the host, keeping the newest; only inside the worker's storage roots.",
        InputRecord = typeof(PruneCopiesInputs),
        Outputs =
        [
            new("kept", "array", "The copies left, oldest first: [{ name, bytes }]."),
            new("deleted", "array", "The copies deleted, oldest first: [{ name, bytes }]."),
            new("directory", "string", "The folder, links resolved."),
        ],
    };

    protected override HostCommand Build(ActivityContext context, string host, string vm) => new PruneCopies
    {
        CommandId = AssignedByOutbox,
        HostId = host,
        Vm = vm,
        Directory = In<PruneCopiesInputs>(context).Directory,
        Keep = In<PruneCopiesInputs>(context).Keep,
    };

    private protected override JsonObject Outputs(ActivityContext context, HostReply reply)
    {
        var result = reply.As<PruneCopiesResult>();
        return new JsonObject
        {
            ["kept"] = HostReply.ToOutput(result?.Kept) ?? new JsonArray(),
            ["deleted"] = HostReply.ToOutput(result?.Deleted) ?? new JsonArray(),
            ["directory"] = result?.Directory,
        };
    }

    protected override string What(ActivityContext context) => "prune copies";
}

/// <summary>vm.pruneCopies' inputs.</summary>
internal sealed record PruneCopiesInputs(
    string Host,
    [property: Input("The VM the copies are of (named in logs and errors).", Default = "*")] string Vm,
    [property: Input("The folder holding the copies ({backupRoot}/{vm}).", Required = true)] string Directory,
    [property: Input("How many of the newest copies stay (at least 1).", Required = true, Min = 0)] int Keep,
    TimeSpan CommandTimeout) : HostInputs(Host, CommandTimeout), INamesVm;
