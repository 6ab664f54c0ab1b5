using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// Follows the status of some jobs from JOB_STATUS_CHANGE events, with <c>query-jobs</c> as the starting point and as
/// a safety net (polled when no event came for a while). Create it BEFORE sending the commands whose effects it
/// waits for: it listens from construction on, so an event that comes 1 ms later is not missed.
/// </summary>
internal sealed class JobWaiter : IDisposable
{
    /// <summary>The status of a job that does not exist (never did, or dismissed).</summary>
    public const string Absent = JobStatus.Null;

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private readonly IQmpClient _client;
    private readonly HashSet<string> _ids;
    private readonly Dictionary<string, string> _status = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobInfo> _info = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private QmpEventSubscription _events;

    public JobWaiter(IQmpClient client, IEnumerable<string> jobIds, TimeProvider time)
    {
        _client = client;
        _time = time;
        _ids = new HashSet<string>(jobIds, StringComparer.Ordinal);
        _events = Subscribe();
    }

    /// <summary>The last status seen of job <paramref name="id"/> (<see cref="Absent"/> when it does not exist).</summary>
    public string Status(string id) => _status.GetValueOrDefault(id, Absent);

    /// <summary>The last <c>query-jobs</c> entry of job <paramref name="id"/> (its error, progress), or null.</summary>
    public JobInfo? Info(string id) => _info.GetValueOrDefault(id);

    /// <summary>Reads <c>query-jobs</c>; returns the jobs whose status changed.</summary>
    public async Task<IReadOnlyList<string>> RefreshAsync(CancellationToken ct) =>
        Apply(await _client.QueryJobsAsync(null, ct).ConfigureAwait(false));

    /// <summary>Takes the statuses of a <c>query-jobs</c> answer read after this waiter was made; returns the jobs whose status changed.</summary>
    public IReadOnlyList<string> Apply(IReadOnlyList<JobInfo> jobs)
    {
        var changed = new List<string>();
        foreach (var id in _ids)
        {
            var job = jobs.FirstOrDefault(j => j.Id == id);
            if (job is null) _info.Remove(id);
            else _info[id] = job;
            if (Set(id, job?.Status ?? Absent)) changed.Add(id);
        }
        return changed;
    }

    /// <summary>
    /// Waits until <paramref name="done"/> holds, calling <paramref name="onChange"/> for every status change seen.
    /// Returns false when <paramref name="timeout"/> passed first. Ends with a <c>query-jobs</c> (unless
    /// <paramref name="refreshAtEnd"/> is false), so <see cref="Info"/> is fresh.
    /// </summary>
    public async Task<bool> WaitAsync(Func<bool> done, TimeSpan timeout, Func<string, string, Task>? onChange, CancellationToken ct, bool refreshAtEnd = true)
    {
        var started = _time.GetTimestamp();
        while (!done())
        {
            var left = timeout - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero) break;
            IReadOnlyList<string> changed;
            try
            {
                var evt = await _events.WaitAsync(null, left < Poll ? left : Poll, ct).ConfigureAwait(false);
                var id = evt.GetString("id");
                changed = id is not null && Set(id, evt.GetString("status") ?? Absent) ? [id] : [];
            }
            catch (QmpException e) when (e.ErrorClass == QmpErrorClasses.Timeout)
            {
                changed = await RefreshAsync(ct).ConfigureAwait(false);
            }
            catch (QmpException e) when (e.ErrorClass == QmpErrorClasses.EventsLost)
            {
                _events.Dispose();
                _events = Subscribe();
                changed = await RefreshAsync(ct).ConfigureAwait(false);
            }
            if (onChange is null) continue;
            foreach (var id in changed) await onChange(id, Status(id)).ConfigureAwait(false);
        }
        if (refreshAtEnd || !done()) await RefreshAsync(ct).ConfigureAwait(false);
        return done();
    }

    public void Dispose() => _events.Dispose();

    private QmpEventSubscription Subscribe() =>
        _client.Subscribe(e => e.Name == "JOB_STATUS_CHANGE" && e.GetString("id") is { } id && _ids.Contains(id));

    private bool Set(string id, string status)
    {
        if (_status.TryGetValue(id, out var old) && old == status) return false;
        _status[id] = status;
        return true;
    }
}
