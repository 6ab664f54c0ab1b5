namespace VirtFlow.Engine.Storage.Schedules;

/// <summary>
/// What the scheduler keeps beside Quartz: one row per (schedule, scheduled time) saying what that firing did (started an
/// instance, skipped and why, buffered), a schedule's pause with its note, and, for SQLite, the lease that keeps a second
/// server from running schedules on the same file. The firing row's primary key makes the firing path idempotent: a
/// duplicate firing (two nodes, a misfire and its catch-up, a restart) finds the row. Implemented by the SQLite,
/// PostgreSQL and in-memory stores.
/// </summary>
public interface IScheduleStore
{
    /// <summary>Inserts <paramref name="firing"/> unless a row for its schedule and scheduled time exists; the row that holds that key now.</summary>
    Task<ScheduleFiring> AddFiringAsync(ScheduleFiring firing, CancellationToken ct = default);

    /// <summary>Sets the outcome, instance and detail of an existing firing (a buffered firing that starts later).</summary>
    Task UpdateFiringAsync(ScheduleFiring firing, CancellationToken ct = default);

    /// <summary>The firing of <paramref name="scheduleId"/> at <paramref name="scheduledTime"/>, or null.</summary>
    Task<ScheduleFiring?> GetFiringAsync(string scheduleId, DateTimeOffset scheduledTime, CancellationToken ct = default);

    /// <summary>The last <paramref name="limit"/> firings of a schedule, newest scheduled time first.</summary>
    Task<IReadOnlyList<ScheduleFiring>> GetFiringsAsync(string scheduleId, int limit, CancellationToken ct = default);

    /// <summary>The firing that started <paramref name="instanceId"/>, or null (an instance not started by a schedule).</summary>
    Task<ScheduleFiring?> GetFiringOfInstanceAsync(string instanceId, CancellationToken ct = default);

    /// <summary>The instances a schedule started that are still running or suspended, oldest first.</summary>
    Task<IReadOnlyList<string>> GetActiveScheduleInstancesAsync(string scheduleId, CancellationToken ct = default);

    /// <summary>Every schedule's pause state that was ever set.</summary>
    Task<IReadOnlyList<ScheduleState>> GetScheduleStatesAsync(CancellationToken ct = default);

    /// <summary>Stores (replaces) a schedule's pause state.</summary>
    Task SetScheduleStateAsync(ScheduleState state, CancellationToken ct = default);

    /// <summary>
    /// Takes or renews the store's scheduler lease for <paramref name="owner"/> until now + <paramref name="duration"/> (store
    /// clock); null when taken, else the current holder (another owner whose lease has not expired).
    /// </summary>
    Task<SchedulerLease?> TakeSchedulerLeaseAsync(string owner, TimeSpan duration, CancellationToken ct = default);

    /// <summary>Gives the lease up when <paramref name="owner"/> holds it.</summary>
    Task ReleaseSchedulerLeaseAsync(string owner, CancellationToken ct = default);
}
