using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// ListVms: every VM this worker serves, by name, with its disks from <c>query-block</c> (for nightly-backup's "every VM of
/// the host"). A VM still connecting is waited for (as long as any VM command waits); one that stays unreachable or fails
/// its query is listed as not connected, without disks.
/// </summary>
internal sealed class ListVmsHandler(WorkerContext context) : HostLevelHandler<ListVms, ListVmsResult>
{
    protected override async Task<ListVmsResult?> HandleAsync(IReadOnlyDictionary<string, VmSession> sessions, ListVms command, CancellationToken ct)
    {
        var listed = await Task.WhenAll(sessions.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => ListAsync(s, ct))).ConfigureAwait(false);
        Log.VmsListed(context.Logger, listed.Length, listed.Count(v => v.Connected));
        return new ListVmsResult(listed);
    }

    private static async Task<ListedVm> ListAsync(VmSession session, CancellationToken ct)
    {
        try
        {
            // A VM still connecting (a worker that just started) is waited for as every VM command waits (at most the
            // connect wait, all VMs at once), not listed as unconnected: CI saw a fresh worker's VMs all "not connected".
            var client = await session.GetClientAsync(ct).ConfigureAwait(false);
            var view = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
            var disks = new List<InspectedDisk>();
            foreach (var block in view.Blocks)
            {
                if (block.Inserted is not { } inserted) continue;
                var size = inserted.Image?.VirtualSize ?? view.Node(inserted.NodeName)?.Image?.VirtualSize ?? 0;
                disks.Add(new InspectedDisk(BlockView.DeviceName(block), inserted.NodeName, inserted.File, size, inserted.Drv,
                    view.Jobs.Any(j => !JobStates.IsOver(j.Status) && session.MirrorOf(j.Id)?.Device == BlockView.DeviceName(block))));
            }
            return new ListedVm(session.Name, true, disks);
        }
        catch (Exception e) when (e is HostCommandException or Qmp.QmpException)
        {
            return new ListedVm(session.Name, false, []);
        }
    }
}
