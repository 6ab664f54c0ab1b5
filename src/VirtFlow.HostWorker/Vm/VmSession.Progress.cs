using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

// JobProgress every progress interval while jobs run, when the numbers moved.
internal sealed partial class VmSession
{
    private readonly Dictionary<string, (string Status, long Offset, long Length)> _lastProgress = new(StringComparer.Ordinal);

    private bool HasActiveJobs => _jobStatus.Values.Any(IsActive);

    private static bool IsActive(string status) =>
        status is JobStatus.Created or JobStatus.Running or JobStatus.Ready or JobStatus.Standby or JobStatus.Paused or JobStatus.Waiting;

    private async Task ProgressLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.ProgressInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                IQmpClient? client;
                lock (_clientGate) client = _client;
                if (client is not { State: QmpClientState.Running } || !HasActiveJobs || !Unheld().IsCompleted) continue;
                IReadOnlyList<JobInfo> jobs;
                try
                {
                    jobs = await client.QueryJobsAsync(null, stop).ConfigureAwait(false);
                }
                catch (QmpException)
                {
                    continue;
                }
                foreach (var job in jobs.Where(j => IsActive(j.Status)))
                {
                    var now = (job.Status, job.CurrentProgress, job.TotalProgress);
                    if (_lastProgress.TryGetValue(job.Id, out var last) && last == now) continue;
                    _lastProgress[job.Id] = now;
                    await PublishAsync(_events.Progress(Name, job, SpeedOf(job.Id)), stop).ConfigureAwait(false);
                }
                foreach (var gone in _lastProgress.Keys.Where(k => !jobs.Any(j => j.Id == k)).ToList()) _lastProgress.Remove(gone);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
