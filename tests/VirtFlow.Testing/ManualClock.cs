namespace VirtFlow.Testing;

/// <summary>
/// A clock the test moves by hand, with working timers (so <c>Task.Delay(d, clock)</c> and
/// <c>new CancellationTokenSource(d, clock)</c> fire when the test advances past their due time).
/// Callbacks run on the thread pool, never inside <see cref="Advance"/>.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public ManualClock()
        : this(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(t => t.DueAt <= _now).ToList();
            foreach (var t in due) t.Reschedule(_now);
        }
        foreach (var t in due) ThreadPool.QueueUserWorkItem(_ => t.Fire());
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset DueAt { get; private set; } = DateTimeOffset.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var fireNow = false;
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                DueAt = clock._now + dueTime;
                if (dueTime <= TimeSpan.Zero) fireNow = true;
                else clock._timers.Add(this);
            }
            if (fireNow) ThreadPool.QueueUserWorkItem(_ => Fire());
            return true;
        }

        /// <summary>Under the clock's lock: the next due time of a periodic timer, or removal of a one-shot one.</summary>
        public void Reschedule(DateTimeOffset now)
        {
            if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan) DueAt = now + _period;
            else clock._timers.Remove(this);
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._gate) clock._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
