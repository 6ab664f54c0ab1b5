using Microsoft.Data.Sqlite;
using VirtFlow.Engine.Storage.Schedules;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore : IScheduleStore
{
    private const string FiringColumns = "schedule_id, scheduled_time, outcome, instance_id, detail, source, recorded_by, recorded_at";

    /// <inheritdoc />
    public async Task<ScheduleFiring> AddFiringAsync(ScheduleFiring firing, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(firing);
        await WriteAsync(connection => SqliteCommands.Execute(connection, $"""
            INSERT INTO schedule_firings ({FiringColumns}) VALUES ($s, $t, $o, $i, $d, $src, $by, $at)
            ON CONFLICT (schedule_id, scheduled_time) DO NOTHING
            """, FiringParameters(firing)), ct);
        return await GetFiringAsync(firing.ScheduleId, firing.ScheduledTime, ct) ?? firing;
    }

    /// <inheritdoc />
    public Task UpdateFiringAsync(ScheduleFiring firing, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(firing);
        return WriteAsync(connection => SqliteCommands.Execute(connection, """
            UPDATE schedule_firings SET outcome = $o, instance_id = $i, detail = $d, recorded_by = $by, recorded_at = $at
            WHERE schedule_id = $s AND scheduled_time = $t
            """, FiringParameters(firing)), ct);
    }

    /// <inheritdoc />
    public Task<ScheduleFiring?> GetFiringAsync(string scheduleId, DateTimeOffset scheduledTime, CancellationToken ct = default) =>
        Task.FromResult(ReadFirings($"SELECT {FiringColumns} FROM schedule_firings WHERE schedule_id = $s AND scheduled_time = $t",
            ("$s", scheduleId), ("$t", StoreTime.ToUnixMs(scheduledTime))).FirstOrDefault());

    /// <inheritdoc />
    public Task<IReadOnlyList<ScheduleFiring>> GetFiringsAsync(string scheduleId, int limit, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ScheduleFiring>>(ReadFirings(
            $"SELECT {FiringColumns} FROM schedule_firings WHERE schedule_id = $s ORDER BY scheduled_time DESC LIMIT $n", ("$s", scheduleId), ("$n", limit)));

    /// <inheritdoc />
    public Task<ScheduleFiring?> GetFiringOfInstanceAsync(string instanceId, CancellationToken ct = default) =>
        Task.FromResult(ReadFirings($"SELECT {FiringColumns} FROM schedule_firings WHERE instance_id = $i LIMIT 1", ("$i", instanceId)).FirstOrDefault());

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetActiveScheduleInstancesAsync(string scheduleId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>(Read(connection =>
        {
            using var command = SqliteCommands.Create(connection, """
                SELECT f.instance_id FROM schedule_firings f JOIN instances i ON i.id = f.instance_id
                WHERE f.schedule_id = $s AND f.outcome = 'started' AND i.status IN ('running', 'suspended')
                ORDER BY f.scheduled_time
                """, ("$s", scheduleId));
            using var r = command.ExecuteReader();
            var ids = new List<string>();
            while (r.Read()) ids.Add(r.GetString(0));
            return ids;
        }));

    /// <inheritdoc />
    public Task<IReadOnlyList<ScheduleState>> GetScheduleStatesAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ScheduleState>>(Read(connection =>
        {
            using var command = SqliteCommands.Create(connection, "SELECT schedule_id, paused, note, changed_by, changed_at FROM schedule_states");
            using var r = command.ExecuteReader();
            var states = new List<ScheduleState>();
            while (r.Read())
            {
                states.Add(new ScheduleState
                {
                    ScheduleId = r.GetString(0),
                    Paused = r.GetInt64(1) != 0,
                    Note = r.GetStringOrNull(2),
                    ChangedBy = r.GetStringOrNull(3),
                    ChangedAt = r.GetTime(4),
                });
            }

            return states;
        }));

    /// <inheritdoc />
    public Task SetScheduleStateAsync(ScheduleState state, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return WriteAsync(connection => SqliteCommands.Execute(connection, """
            INSERT INTO schedule_states (schedule_id, paused, note, changed_by, changed_at) VALUES ($s, $p, $n, $by, $at)
            ON CONFLICT (schedule_id) DO UPDATE SET paused = excluded.paused, note = excluded.note, changed_by = excluded.changed_by,
                changed_at = excluded.changed_at
            """, ("$s", state.ScheduleId), ("$p", state.Paused ? 1 : 0), ("$n", state.Note), ("$by", state.ChangedBy), ("$at", MsOrNow(state.ChangedAt))), ct);
    }

    /// <inheritdoc />
    public Task<SchedulerLease?> TakeSchedulerLeaseAsync(string owner, TimeSpan duration, CancellationToken ct = default)
    {
        var now = NowMs;
        return WriteAsync(connection =>
        {
            SqliteCommands.Execute(connection, """
                INSERT INTO scheduler_leases (name, owner, expires_at) VALUES ('schedules', $o, $until)
                ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE scheduler_leases.owner = $o OR scheduler_leases.expires_at <= $now
                """, ("$o", owner), ("$until", now + (long)duration.TotalMilliseconds), ("$now", now));
            using var read = SqliteCommands.Create(connection, "SELECT owner, expires_at FROM scheduler_leases WHERE name = 'schedules'");
            using var r = read.ExecuteReader();
            if (!r.Read()) return null;
            var holder = new SchedulerLease(r.GetString(0), r.GetTime(1));
            return holder.Owner == owner ? null : holder;
        }, ct);
    }

    /// <inheritdoc />
    public Task ReleaseSchedulerLeaseAsync(string owner, CancellationToken ct = default) =>
        WriteAsync(connection => SqliteCommands.Execute(connection, "DELETE FROM scheduler_leases WHERE name = 'schedules' AND owner = $o", ("$o", owner)), ct);

    private (string, object?)[] FiringParameters(ScheduleFiring f) =>
    [
        ("$s", f.ScheduleId), ("$t", StoreTime.ToUnixMs(f.ScheduledTime)), ("$o", f.Outcome), ("$i", f.InstanceId), ("$d", f.Detail),
        ("$src", f.Source), ("$by", f.RecordedBy), ("$at", MsOrNow(f.RecordedAt)),
    ];

    private List<ScheduleFiring> ReadFirings(string sql, params (string, object?)[] parameters) => Read(connection =>
    {
        using var command = SqliteCommands.Create(connection, sql, parameters);
        using var r = command.ExecuteReader();
        var firings = new List<ScheduleFiring>();
        while (r.Read()) firings.Add(ReadFiring(r));
        return firings;
    });

    private static ScheduleFiring ReadFiring(SqliteDataReader r) => new()
    {
        ScheduleId = r.GetString(0),
        ScheduledTime = r.GetTime(1),
        Outcome = r.GetString(2),
        InstanceId = r.GetStringOrNull(3),
        Detail = r.GetStringOrNull(4),
        Source = r.GetString(5),
        RecordedBy = r.GetStringOrNull(6),
        RecordedAt = r.GetTime(7),
    };
}
