using Npgsql;
using VirtFlow.Engine.Storage.Schedules;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore : IScheduleStore
{
    private const string FiringColumns = "schedule_id, scheduled_time, outcome, instance_id, detail, source, recorded_by, recorded_at";

    /// <inheritdoc />
    public async Task<ScheduleFiring> AddFiringAsync(ScheduleFiring firing, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(firing);
        await ExecuteAsync($"""
            INSERT INTO schedule_firings ({FiringColumns}) VALUES (@s, @t, @o, @i, @d, @src, @by, @at)
            ON CONFLICT (schedule_id, scheduled_time) DO NOTHING
            """, ct, FiringParameters(firing));
        return await GetFiringAsync(firing.ScheduleId, firing.ScheduledTime, ct) ?? firing;
    }

    /// <inheritdoc />
    public async Task UpdateFiringAsync(ScheduleFiring firing, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(firing);
        await ExecuteAsync("""
            UPDATE schedule_firings SET outcome = @o, instance_id = @i, detail = @d, recorded_by = @by, recorded_at = @at
            WHERE schedule_id = @s AND scheduled_time = @t
            """, ct, FiringParameters(firing));
    }

    /// <inheritdoc />
    public async Task<ScheduleFiring?> GetFiringAsync(string scheduleId, DateTimeOffset scheduledTime, CancellationToken ct = default) =>
        (await QueryAsync($"SELECT {FiringColumns} FROM schedule_firings WHERE schedule_id = @s AND scheduled_time = @t", ReadFiring, ct,
            P.Text("s", scheduleId), P.Time("t", scheduledTime))).FirstOrDefault();

    /// <inheritdoc />
    public async Task<IReadOnlyList<ScheduleFiring>> GetFiringsAsync(string scheduleId, int limit, CancellationToken ct = default) =>
        await QueryAsync($"SELECT {FiringColumns} FROM schedule_firings WHERE schedule_id = @s ORDER BY scheduled_time DESC LIMIT @n", ReadFiring, ct,
            P.Text("s", scheduleId), P.Int("n", limit));

    /// <inheritdoc />
    public async Task<ScheduleFiring?> GetFiringOfInstanceAsync(string instanceId, CancellationToken ct = default) =>
        (await QueryAsync($"SELECT {FiringColumns} FROM schedule_firings WHERE instance_id = @i LIMIT 1", ReadFiring, ct,
            P.Text("i", instanceId))).FirstOrDefault();

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetActiveScheduleInstancesAsync(string scheduleId, CancellationToken ct = default) =>
        await QueryAsync("""
            SELECT f.instance_id FROM schedule_firings f JOIN instances i ON i.id = f.instance_id
            WHERE f.schedule_id = @s AND f.outcome = 'started' AND i.status IN ('running', 'suspended')
            ORDER BY f.scheduled_time
            """, r => r.GetString(0), ct, P.Text("s", scheduleId));

    /// <inheritdoc />
    public async Task<IReadOnlyList<ScheduleState>> GetScheduleStatesAsync(CancellationToken ct = default) =>
        await QueryAsync("SELECT schedule_id, paused, note, changed_by, changed_at FROM schedule_states", r => new ScheduleState
        {
            ScheduleId = r.GetString(0),
            Paused = r.GetBoolean(1),
            Note = r.GetStringOrNull(2),
            ChangedBy = r.GetStringOrNull(3),
            ChangedAt = r.GetTime(4),
        }, ct);

    /// <inheritdoc />
    public async Task SetScheduleStateAsync(ScheduleState state, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        await ExecuteAsync("""
            INSERT INTO schedule_states (schedule_id, paused, note, changed_by, changed_at) VALUES (@s, @p, @n, @by, @at)
            ON CONFLICT (schedule_id) DO UPDATE SET paused = excluded.paused, note = excluded.note, changed_by = excluded.changed_by,
                changed_at = excluded.changed_at
            """, ct, P.Text("s", state.ScheduleId), new NpgsqlParameter("p", NpgsqlTypes.NpgsqlDbType.Boolean) { Value = state.Paused },
            P.Text("n", state.Note), P.Text("by", state.ChangedBy), P.Time("at", OrNow(state.ChangedAt)));
    }

    /// <inheritdoc />
    public async Task<SchedulerLease?> TakeSchedulerLeaseAsync(string owner, TimeSpan duration, CancellationToken ct = default)
    {
        var now = Now;
        await ExecuteAsync("""
            INSERT INTO scheduler_leases (name, owner, expires_at) VALUES ('schedules', @o, @until)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE scheduler_leases.owner = @o OR scheduler_leases.expires_at <= @now
            """, ct, P.Text("o", owner), P.Time("until", now + duration), P.Time("now", now));
        var holder = (await QueryAsync("SELECT owner, expires_at FROM scheduler_leases WHERE name = 'schedules'",
            r => new SchedulerLease(r.GetString(0), r.GetTime(1)), ct)).FirstOrDefault();
        return holder is null || holder.Owner == owner ? null : holder;
    }

    /// <inheritdoc />
    public async Task ReleaseSchedulerLeaseAsync(string owner, CancellationToken ct = default) =>
        await ExecuteAsync("DELETE FROM scheduler_leases WHERE name = 'schedules' AND owner = @o", ct, P.Text("o", owner));

    private NpgsqlParameter[] FiringParameters(ScheduleFiring f) =>
    [
        P.Text("s", f.ScheduleId), P.Time("t", f.ScheduledTime), P.Text("o", f.Outcome), P.Text("i", f.InstanceId), P.Text("d", f.Detail),
        P.Text("src", f.Source), P.Text("by", f.RecordedBy), P.Time("at", OrNow(f.RecordedAt)),
    ];

    private static ScheduleFiring ReadFiring(NpgsqlDataReader r) => new()
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
