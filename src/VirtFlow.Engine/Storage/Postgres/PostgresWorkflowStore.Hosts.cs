using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore : IHostStore
{
    private const string HostColumns = "host_id, worker_id, version, online, last_seen, vms";

    /// <inheritdoc />
    public Task RecordHostAsync(HostRecord host, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        return ExecuteAsync($"""
            INSERT INTO hosts ({HostColumns}) VALUES (@host, @worker, @version, @online, @seen, @vms)
            ON CONFLICT (host_id) DO UPDATE SET worker_id = excluded.worker_id, version = excluded.version, online = excluded.online,
                last_seen = excluded.last_seen, vms = excluded.vms
            WHERE excluded.last_seen >= hosts.last_seen
            """, ct,
            P.Text("host", host.HostId), P.Text("worker", host.WorkerId), P.Text("version", host.Version),
            new Npgsql.NpgsqlParameter("online", NpgsqlTypes.NpgsqlDbType.Boolean) { Value = host.Online },
            P.Time("seen", host.LastSeen), P.Json("vms", HostRecordJson.Write(host.Vms)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<HostRecord>> ListHostsAsync(CancellationToken ct = default) =>
        await QueryAsync($"SELECT {HostColumns} FROM hosts ORDER BY host_id", ReadHost, ct);

    /// <inheritdoc />
    public async Task<HostRecord?> GetHostAsync(string hostId, CancellationToken ct = default)
    {
        var rows = await QueryAsync($"SELECT {HostColumns} FROM hosts WHERE host_id = @host", ReadHost, ct, P.Text("host", hostId));
        return rows.Count == 0 ? null : rows[0];
    }

    private static HostRecord ReadHost(Npgsql.NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetStringOrNull(1), r.GetStringOrNull(2), r.GetBoolean(3), r.GetTime(4), HostRecordJson.Read(r.GetStringOrNull(5)));
}
