namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IHostStore
{
    private readonly Dictionary<string, HostRecord> _hosts = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task RecordHostAsync(HostRecord host, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var record = host with { LastSeen = StoreTime.Normalize(host.LastSeen), Vms = [.. host.Vms] };
        lock (_gate)
        {
            if (!_hosts.TryGetValue(host.HostId, out var kept) || kept.LastSeen <= record.LastSeen) _hosts[host.HostId] = record;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HostRecord>> ListHostsAsync(CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<HostRecord>>([.. _hosts.Values.OrderBy(h => h.HostId, StringComparer.Ordinal)]);
    }

    /// <inheritdoc />
    public Task<HostRecord?> GetHostAsync(string hostId, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_hosts.GetValueOrDefault(hostId));
    }
}
