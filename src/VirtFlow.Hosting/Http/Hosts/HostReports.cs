using VirtFlow.Contracts;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Http.Hosts;

/// <summary>
/// What workers say of themselves (<see cref="WorkerOnline"/>, <see cref="WorkerHeartbeat"/>, <see cref="WorkerOffline"/>),
/// kept in the store's hosts table (<see cref="IHostStore"/>) so that every server on one database lists the same hosts.
/// </summary>
public static class HostReports
{
    /// <summary>True for the events that tell of a worker itself.</summary>
    public static bool IsWorkerReport(HostEvent hostEvent) => hostEvent is WorkerOnline or WorkerHeartbeat or WorkerOffline;

    /// <summary>Records <paramref name="hostEvent"/> when it is a worker's report and the store keeps hosts; else nothing.</summary>
    public static async Task RecordAsync(IWorkflowStore store, HostEvent hostEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(hostEvent);
        if (store is not IHostStore hosts || string.IsNullOrEmpty(hostEvent.HostId)) return;
        var record = hostEvent switch
        {
            WorkerOnline o => new HostRecord(o.HostId, o.WorkerId, o.Version, true, o.At, [.. (o.Vms ?? []).Select(v => new HostVmRecord(v, false))]),
            WorkerHeartbeat h => new HostRecord(h.HostId, h.WorkerId, h.Version, true, h.At, [.. (h.Vms ?? []).Select(v => new HostVmRecord(v.Name, v.Connected))]),
            WorkerOffline f => await OfflineAsync(hosts, f, ct).ConfigureAwait(false),
            _ => null,
        };
        if (record is not null) await hosts.RecordHostAsync(record, ct).ConfigureAwait(false);
    }

    /// <summary>Offline keeps what the host's last report said of its version and VMs (none connected now).</summary>
    private static async Task<HostRecord> OfflineAsync(IHostStore hosts, WorkerOffline offline, CancellationToken ct)
    {
        var kept = await hosts.GetHostAsync(offline.HostId, ct).ConfigureAwait(false);
        return new HostRecord(offline.HostId, offline.WorkerId ?? kept?.WorkerId, kept?.Version, false, offline.At,
            [.. (kept?.Vms ?? []).Select(v => v with { Connected = false })]);
    }
}
