namespace VirtFlow.Engine.Storage;

/// <summary>
/// The hosts table: what each host's worker last reported of itself (online, heartbeat, offline), kept in the store so
/// that every server on one database sees the same hosts.
/// </summary>
public interface IHostStore
{
    /// <summary>
    /// Records what a worker reported at <see cref="HostRecord.LastSeen"/>; a report older than the one kept is ignored
    /// (events may arrive out of order).
    /// </summary>
    Task RecordHostAsync(HostRecord host, CancellationToken ct = default);

    /// <summary>Every host ever reported, by host id.</summary>
    Task<IReadOnlyList<HostRecord>> ListHostsAsync(CancellationToken ct = default);

    /// <summary>One host, or null when none was reported under that id.</summary>
    Task<HostRecord?> GetHostAsync(string hostId, CancellationToken ct = default);
}

/// <summary>A host as its worker last reported it.</summary>
/// <param name="HostId">The host.</param>
/// <param name="WorkerId">The worker process that reported.</param>
/// <param name="Version">The worker's version.</param>
/// <param name="Online">False once the worker said it stops (<c>WorkerOffline</c>).</param>
/// <param name="LastSeen">When it last reported (the event's time).</param>
/// <param name="Vms">Its VMs, by name, with whether their QMP monitor was connected.</param>
public sealed record HostRecord(string HostId, string? WorkerId, string? Version, bool Online, DateTimeOffset LastSeen, IReadOnlyList<HostVmRecord> Vms);

/// <summary>One VM of a host.</summary>
public sealed record HostVmRecord(string Name, bool Connected);
