using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace VirtFlow.Contracts;

/// <summary>A command a worker runs and the result it answers with (in <see cref="CommandResult.ResultJson"/>).</summary>
/// <param name="Command">The command's contract.</param>
/// <param name="Result">The result's contract (<see cref="HostResultJson"/> reads it).</param>
public sealed record HostCommandKind(Type Command, Type Result)
{
    /// <summary>The command's message type: its contract's class name (<c>MirrorDisks</c>).</summary>
    public string Name => Command.Name;
}

/// <summary>
/// The one table of the commands a worker runs, each with its result. The worker's handlers, its consumer registrations
/// and the engine's outbox serializer are all checked against it (a test fails when one of them lacks a command).
/// </summary>
public static class HostCommandTable
{
    /// <summary>Every command, in a stable order (by name).</summary>
    public static IReadOnlyList<HostCommandKind> All { get; } =
    [
        .. new HostCommandKind[]
        {
            new(typeof(MirrorDisks), typeof(MirrorDisksResult)),
            new(typeof(CompleteJobs), typeof(JobsResult)),
            new(typeof(FinalizeJobs), typeof(JobsResult)),
            new(typeof(PivotJobs), typeof(PivotJobsResult)),
            new(typeof(CancelJobs), typeof(JobsResult)),
            new(typeof(DismissJobs), typeof(DismissJobsResult)),
            new(typeof(QuiesceVm), typeof(QuiesceResult)),
            new(typeof(UnquiesceVm), typeof(UnquiesceResult)),
            new(typeof(RenewQuiesceLease), typeof(QuiesceResult)),
            new(typeof(PauseVm), typeof(VmRunStateResult)),
            new(typeof(ResumeVm), typeof(VmRunStateResult)),
            new(typeof(QueryVm), typeof(QueryVmResult)),
            new(typeof(RawQmp), typeof(JsonNode)),
            new(typeof(InspectVm), typeof(InspectVmResult)),
            new(typeof(ListVms), typeof(ListVmsResult)),
            new(typeof(PruneCopies), typeof(PruneCopiesResult)),
            new(typeof(CreateFolder), typeof(CreateFolderResult)),
        }.OrderBy(k => k.Name, StringComparer.Ordinal),
    ];

    /// <summary>Every command by its message type.</summary>
    public static FrozenDictionary<string, HostCommandKind> ByName { get; } = All.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>The entry of <paramref name="command"/>'s type, or null when it is not a worker command.</summary>
    public static HostCommandKind? Of(Type command) => ByName.GetValueOrDefault(command.Name) is { } k && k.Command == command ? k : null;
}
