using VirtFlow.Engine.Storage.Schedules;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IScheduleStore
{
    private readonly Dictionary<(string, DateTimeOffset), ScheduleFiring> _firings = [];
    private readonly Dictionary<string, ScheduleState> _scheduleStates = new(StringComparer.Ordinal);
    private SchedulerLease? _schedulerLease;

    /// <inheritdoc />
    public Task<ScheduleFiring> AddFiringAsync(ScheduleFiring firing, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(firing);
        lock (_gate)
        {
            var key = (firing.ScheduleId, StoreTime.Normalize(firing.ScheduledTime));
            if (!_firings.TryGetValue(key, out var held))
            {
                held = firing with { ScheduledTime = key.Item2, RecordedAt = StoreTime.OrNow(firing.RecordedAt, _time) };
                _firings[key] = held;
            }

            return Task.FromResult(held);
        }
    }

    /// <inheritdoc />
    public Task UpdateFiringAsync(ScheduleFiring firing, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(firing);
        lock (_gate)
        {
            var key = (firing.ScheduleId, StoreTime.Normalize(firing.ScheduledTime));
            if (_firings.TryGetValue(key, out var held))
                _firings[key] = held with { Outcome = firing.Outcome, InstanceId = firing.InstanceId, Detail = firing.Detail, RecordedBy = firing.RecordedBy, RecordedAt = Now };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ScheduleFiring?> GetFiringAsync(string scheduleId, DateTimeOffset scheduledTime, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(_firings.GetValueOrDefault((scheduleId, StoreTime.Normalize(scheduledTime))));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ScheduleFiring>> GetFiringsAsync(string scheduleId, int limit, CancellationToken ct = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ScheduleFiring>>(_firings.Values.Where(f => f.ScheduleId == scheduleId)
                .OrderByDescending(f => f.ScheduledTime).Take(limit).ToList());
        }
    }

    /// <inheritdoc />
    public Task<ScheduleFiring?> GetFiringOfInstanceAsync(string instanceId, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(_firings.Values.FirstOrDefault(f => f.InstanceId == instanceId));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetActiveScheduleInstancesAsync(string scheduleId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>(_firings.Values
                .Where(f => f.ScheduleId == scheduleId && f.Outcome == ScheduleFiring.Started && f.InstanceId is not null
                    && _instances.TryGetValue(f.InstanceId, out var k) && k.Instance.Status is InstanceStatus.Running or InstanceStatus.Suspended)
                .OrderBy(f => f.ScheduledTime).Select(f => f.InstanceId!).ToList());
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ScheduleState>> GetScheduleStatesAsync(CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<ScheduleState>>(_scheduleStates.Values.ToList());
    }

    /// <inheritdoc />
    public Task SetScheduleStateAsync(ScheduleState state, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate) _scheduleStates[state.ScheduleId] = state with { ChangedAt = StoreTime.OrNow(state.ChangedAt, _time) };
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<SchedulerLease?> TakeSchedulerLeaseAsync(string owner, TimeSpan duration, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var now = Now;
            if (_schedulerLease is { } held && held.Owner != owner && held.Until > now) return Task.FromResult<SchedulerLease?>(held);
            _schedulerLease = new SchedulerLease(owner, now + duration);
            return Task.FromResult<SchedulerLease?>(null);
        }
    }

    /// <inheritdoc />
    public Task ReleaseSchedulerLeaseAsync(string owner, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_schedulerLease?.Owner == owner) _schedulerLease = null;
        }

        return Task.CompletedTask;
    }
}
