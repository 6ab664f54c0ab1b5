using System.Reflection;
using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// The worker's command handlers, one per command type, sharing one toolkit (lease keeper, guest hold, job dismisser).
/// <see cref="CommandTypes"/> (what the bus consumes) is <see cref="HostCommandTable"/>'s list; the table refuses to be
/// made when a command lacks its handler or a handler answers another result than the table says.
/// </summary>
internal sealed class HandlerTable
{
    private readonly Dictionary<Type, IHostCommandHandler> _handlers;

    public HandlerTable(WorkerContext context)
    {
        Leases = new LeaseKeeper(context);
        var guest = new GuestHold(context, Leases);
        var dismisser = new JobDismisser(context);
        IHostCommandHandler[] handlers =
        [
            new MirrorDisksHandler(context),
            new CompleteJobsHandler(context),
            new FinalizeJobsHandler(context),
            new PivotJobsHandler(context, new PivotQuiescer(context, guest, Leases), dismisser),
            new CancelJobsHandler(context),
            new DismissJobsHandler(dismisser),
            new QuiesceVmHandler(guest),
            new UnquiesceVmHandler(Leases),
            new RenewQuiesceLeaseHandler(context, Leases),
            new PauseVmHandler(),
            new ResumeVmHandler(),
            new QueryVmHandler(),
            new RawQmpHandler(context),
            new InspectVmHandler(context),
            new ListVmsHandler(context),
            new PruneCopiesHandler(context),
            new CreateFolderHandler(context),
        ];
        _handlers = handlers.ToDictionary(h => h.CommandType);
        var missing = CommandTypes.Where(t => !_handlers.ContainsKey(t)).Select(t => t.Name).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"the worker's handler table lacks {string.Join(", ", missing)}");
        // The contracts' table says what each command answers with: a handler answering otherwise is a bug of this build.
        var wrong = handlers.Where(h => HostCommandTable.Of(h.CommandType)?.Result != h.ResultType)
            .Select(h => $"{h.CommandType.Name} answers {h.ResultType.Name}, the table says {HostCommandTable.Of(h.CommandType)?.Result.Name ?? "(not in the table)"}").ToList();
        if (wrong.Count > 0) throw new InvalidOperationException($"the worker's handlers do not match HostCommandTable: {string.Join("; ", wrong)}");
    }

    /// <summary>Every command the worker consumes: the contracts table's, by name (each checked to have its handler).</summary>
    public static IReadOnlyList<Type> CommandTypes { get; } = [.. HostCommandTable.All.Select(k => k.Command)];

    /// <summary>The quiesce leases' keeper (ends them on shutdown, takes over those a previous worker left).</summary>
    public LeaseKeeper Leases { get; }

    /// <summary>The handler of <paramref name="commandType"/>, or null.</summary>
    public IHostCommandHandler? For(Type commandType) => _handlers.GetValueOrDefault(commandType);
}
