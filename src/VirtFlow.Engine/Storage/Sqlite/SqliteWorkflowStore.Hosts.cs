namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore : IHostStore
{
    private const string HostColumns = "host_id, worker_id, version, online, last_seen, vms";

    /// <inheritdoc />
    public Task RecordHostAsync(HostRecord host, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        return WriteAsync(connection => SqliteCommands.Execute(connection, $"""
            INSERT INTO hosts ({HostColumns}) VALUES ($host, $worker, $version, $online, $seen, $vms)
            ON CONFLICT (host_id) DO UPDATE SET worker_id = excluded.worker_id, version = excluded.version, online = excluded.online,
                last_seen = excluded.last_seen, vms = excluded.vms
            WHERE excluded.last_seen >= hosts.last_seen
            """,
            ("$host", host.HostId), ("$worker", host.WorkerId), ("$version", host.Version), ("$online", host.Online ? 1 : 0),
            ("$seen", StoreTime.ToUnixMs(host.LastSeen)), ("$vms", HostRecordJson.Write(host.Vms))), ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HostRecord>> ListHostsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<HostRecord>>(ReadHosts($"SELECT {HostColumns} FROM hosts ORDER BY host_id", null));

    /// <inheritdoc />
    public Task<HostRecord?> GetHostAsync(string hostId, CancellationToken ct = default) =>
        Task.FromResult(ReadHosts($"SELECT {HostColumns} FROM hosts WHERE host_id = $host", hostId).FirstOrDefault());

    private List<HostRecord> ReadHosts(string sql, string? hostId) => Read(connection =>
    {
        using var command = hostId is null ? SqliteCommands.Create(connection, sql) : SqliteCommands.Create(connection, sql, ("$host", hostId));
        using var r = command.ExecuteReader();
        var hosts = new List<HostRecord>();
        while (r.Read())
            hosts.Add(new HostRecord(r.GetString(0), r.GetStringOrNull(1), r.GetStringOrNull(2), r.GetInt64(3) != 0, r.GetTime(4), HostRecordJson.Read(r.GetStringOrNull(5))));
        return hosts;
    });
}
