using System.Text.Json;
using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

// QEMU's job events to JobStatusChanged, and the snapshot after each (re)connect (docs/rules.md#r3-reconcile).
internal sealed partial class VmSession
{
    private async Task PublishSnapshotAsync(IQmpClient client, CancellationToken stop)
    {
        var view = await BlockView.LoadAsync(client, stop).ConfigureAwait(false);
        var status = await client.QueryStatusAsync(null, stop).ConfigureAwait(false);
        var jobs = view.Jobs.Select(j => new JobSnapshot(j.Id, j.Type, j.Status, j.CurrentProgress, j.TotalProgress, j.Error,
            OutcomeOf(j, view))).ToList();
        _jobStatus.Clear();
        foreach (var j in view.Jobs) _jobStatus[j.Id] = j.Status;
        foreach (var gone in _statusSeen.Keys.Where(id => !_jobStatus.ContainsKey(id)).ToList()) _statusSeen.TryRemove(gone, out _);
        Log.Snapshot(_logger, Name, jobs.Count, status.Status);
        Post(_events.Snapshot(Name, jobs, status.Status, view.Devices()));
        foreach (var j in jobs) Post(_events.JobStatus(Name, j.JobId, j.Status, j.Type, j.Outcome, j.Error, j.Offset, j.Length, SeenAt(j.JobId, j.Status)));
    }

    /// <summary>
    /// Reads events in batches (what has arrived at once), so a burst costs one <c>query-jobs</c>. Returns when
    /// <see cref="RequestSnapshot"/> asks for a new snapshot, after forwarding every event that had arrived by then: a
    /// snapshot is reported after the events, never instead of them (an event dropped for the snapshot would reach the
    /// engine only with the snapshot's time).
    /// </summary>
    private async Task ForwardAsync(IQmpClient client, QmpEventSubscription subscription, CancellationToken stop)
    {
        var batch = new List<QmpEvent>();
        while (true)
        {
            CancellationToken again;
            lock (_clientGate) again = _snapshotAgain.Token;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop, again);
            try
            {
                if (!await subscription.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)) return;
                await Unheld().WaitAsync(wait.Token).ConfigureAwait(false); // a pivot holds the guest: after it
            }
            catch (OperationCanceledException) when (again.IsCancellationRequested && !stop.IsCancellationRequested)
            {
                lock (_clientGate)
                {
                    if (_snapshotAgain.IsCancellationRequested)
                    {
                        _snapshotAgain.Dispose();
                        _snapshotAgain = new CancellationTokenSource();
                    }
                }
                await Unheld().WaitAsync(stop).ConfigureAwait(false); // no query inside a pivot's hold
                batch.Clear();
                while (subscription.Reader.TryRead(out var evt)) batch.Add(evt);
                if (batch.Count > 0) await ForwardBatchAsync(client, batch, stop).ConfigureAwait(false);
                return;
            }
            batch.Clear();
            while (subscription.Reader.TryRead(out var evt)) batch.Add(evt);
            await ForwardBatchAsync(client, batch, stop).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Asks the forwarding loop to publish a fresh snapshot (and a <see cref="JobStatusChanged"/> per job), e.g. after a
    /// broker outage. No-op while the monitor is not connected: a snapshot follows every connect anyway.
    /// </summary>
    public void RequestSnapshot()
    {
        lock (_clientGate)
        {
            if (_client is { State: QmpClientState.Running }) _snapshotAgain.Cancel();
        }
    }

    private async Task ForwardBatchAsync(IQmpClient client, List<QmpEvent> batch, CancellationToken stop)
    {
        var changes = new List<(string Id, string Status, DateTimeOffset At)>();
        foreach (var evt in batch)
        {
            if (evt.Name == "JOB_STATUS_CHANGE")
            {
                if (evt.GetString("id") is { } id && evt.GetString("status") is { } status) changes.Add((id, status, evt.Timestamp));
                continue;
            }
            if (evt.GetString("device") is { } job) _details[job] = Detail(evt);
        }
        if (changes.Count == 0) return;

        IReadOnlyList<JobInfo> jobs = [];
        BlockView? view = null;
        if (changes.Any(c => c.Status == JobStatus.Concluded)) view = await BlockView.LoadAsync(client, stop).ConfigureAwait(false);
        else if (changes.Any(c => c.Status != JobStatus.Null)) jobs = await client.QueryJobsAsync(null, stop).ConfigureAwait(false);
        if (view is not null) jobs = view.Jobs;

        foreach (var (id, status, at) in changes)
        {
            var job = jobs.FirstOrDefault(j => j.Id == id);
            var detail = _details.GetValueOrDefault(id);
            string? outcome = null, error = null;
            if (status == JobStatus.Concluded)
            {
                error = job?.Error ?? detail?.Error;
                outcome = JobOutcome.Of(job?.Type ?? detail?.Type, error, detail?.Cancelled == true, view, TargetNodeOf(id), IsSoftCancelled(id));
            }
            if (status == JobStatus.Null)
            {
                _jobStatus.TryRemove(id, out _);
                _details.TryRemove(id, out _);
                _statusSeen.TryRemove(id, out _);
            }
            else
            {
                _jobStatus[id] = status;
                _statusSeen[id] = (status, at);
            }
            Log.JobStatus(_logger, Name, id, status, outcome);
            Post(_events.JobStatus(Name, id, status, job?.Type ?? detail?.Type, outcome, error,
                job?.CurrentProgress ?? detail?.Offset ?? 0, job?.TotalProgress ?? detail?.Length ?? 0, at));
        }
    }

    /// <summary>QEMU's time of <paramref name="status"/> when the job was seen to enter it through an event; else null.</summary>
    private DateTimeOffset? SeenAt(string jobId, string status) =>
        _statusSeen.TryGetValue(jobId, out var seen) && seen.Status == status ? seen.At : null;

    private static BlockJobDetail Detail(QmpEvent evt)
    {
        long Number(string name) =>
            evt.Data.ValueKind == JsonValueKind.Object && evt.Data.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;
        return new BlockJobDetail(evt.GetString("type"), Number("offset"), Number("len"),
            evt.Name == "BLOCK_JOB_ERROR" ? null : evt.GetString("error"), evt.Name == "BLOCK_JOB_CANCELLED");
    }
}
