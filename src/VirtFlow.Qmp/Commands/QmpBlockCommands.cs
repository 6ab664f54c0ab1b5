using System.Text.Json.Nodes;

namespace VirtFlow.Qmp;

/// <summary>Typed block-node and job helpers: <c>blockdev-*</c>, <c>job-*</c>, <c>block-job-*</c>.</summary>
public static class QmpBlockCommands
{
    /// <summary><c>blockdev-add</c> with the given node options (driver, node-name, file, ...).</summary>
    public static Task BlockdevAddAsync(this IQmpClient client, JsonObject options, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return client.ExecuteAsync("blockdev-add", options, timeout, cancellationToken);
    }

    /// <summary><c>blockdev-add</c> of an image file: <c>{driver: format, node-name, file: {driver: file, filename}}</c>.</summary>
    public static Task BlockdevAddFileAsync(this IQmpClient client, string nodeName, string filename, string format = "qcow2", TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        ArgumentException.ThrowIfNullOrEmpty(filename);
        return client.BlockdevAddAsync(new JsonObject
        {
            ["driver"] = format,
            ["node-name"] = nodeName,
            ["file"] = new JsonObject { ["driver"] = "file", ["filename"] = filename },
        }, timeout, cancellationToken);
    }

    /// <summary><c>blockdev-del</c>.</summary>
    public static Task BlockdevDelAsync(this IQmpClient client, string nodeName, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("blockdev-del", new() { ["node-name"] = nodeName }, timeout, cancellationToken);

    /// <summary><c>blockdev-mirror</c>: starts the mirror job.</summary>
    public static Task BlockdevMirrorAsync(this IQmpClient client, MirrorRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return client.ExecuteAsync("blockdev-mirror", QmpJson.Write(request), timeout, cancellationToken);
    }

    /// <summary><c>job-complete</c>: a READY mirror moves to waiting, then pending (or concluded with auto-finalize).</summary>
    public static Task JobCompleteAsync(this IQmpClient client, string jobId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("job-complete", Id(jobId), timeout, cancellationToken);

    /// <summary><c>job-finalize</c>: a PENDING job commits (a completing mirror pivots to its target here).</summary>
    public static Task JobFinalizeAsync(this IQmpClient client, string jobId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("job-finalize", Id(jobId), timeout, cancellationToken);

    /// <summary><c>job-dismiss</c>: removes a concluded job from <c>query-jobs</c>.</summary>
    public static Task JobDismissAsync(this IQmpClient client, string jobId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("job-dismiss", Id(jobId), timeout, cancellationToken);

    /// <summary><c>job-cancel</c>: aborts the job (a READY mirror is abandoned without a point-in-time copy semantics).</summary>
    public static Task JobCancelAsync(this IQmpClient client, string jobId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("job-cancel", Id(jobId), timeout, cancellationToken);

    /// <summary>
    /// <c>block-job-cancel</c>. On a READY mirror without <paramref name="force"/> the job ends leaving the VM on its
    /// source and the target a point-in-time copy; with auto-finalize off it stops at PENDING and needs <c>job-finalize</c>.
    /// </summary>
    public static Task BlockJobCancelAsync(this IQmpClient client, string device, bool force = false, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("block-job-cancel", new() { ["device"] = device, ["force"] = force }, timeout, cancellationToken);

    /// <summary><c>block-job-set-speed</c> (bytes per second, 0 for unlimited).</summary>
    public static Task BlockJobSetSpeedAsync(this IQmpClient client, string device, long speed, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("block-job-set-speed", new() { ["device"] = device, ["speed"] = speed }, timeout, cancellationToken);

    /// <summary>
    /// Waits until job <paramref name="jobId"/> has one of <paramref name="statuses"/>, looking at <c>query-jobs</c> first
    /// (the status may already be reached) and then at <c>JOB_STATUS_CHANGE</c> events. Returns the status seen: one of
    /// <paramref name="statuses"/>, or <see cref="JobStatus.Concluded"/> / <see cref="JobStatus.Null"/> if the job ended
    /// first (check <see cref="JobInfo.Error"/> then). Throws <see cref="QmpException"/> (<see cref="QmpErrorClasses.Timeout"/>) after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<string> WaitForJobStatusAsync(this IQmpClient client, string jobId, IReadOnlyCollection<string> statuses, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        bool Done(string? status) => status is not null && (statuses.Contains(status) || JobStatus.IsTerminal(status));
        using var subscription = client.Subscribe(e => e.Name == "JOB_STATUS_CHANGE" && e.GetString("id") == jobId);
        var jobs = await client.QueryJobsAsync(timeout, cancellationToken).ConfigureAwait(false);
        var job = jobs.FirstOrDefault(j => j.Id == jobId);
        if (job is not null && Done(job.Status)) return job.Status;
        try
        {
            var evt = await subscription.WaitAsync(e => Done(e.GetString("status")), timeout, cancellationToken).ConfigureAwait(false);
            return evt.GetString("status")!;
        }
        catch (QmpException e) when (e.ErrorClass == QmpErrorClasses.Timeout)
        {
            throw new QmpException(QmpErrorClasses.Timeout,
                $"job {jobId} did not reach {string.Join("/", statuses)} within {timeout.TotalSeconds:0.###} s (last seen: {job?.Status ?? "absent"})");
        }
    }

    private static JsonObject Id(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return new JsonObject { ["id"] = jobId };
    }
}
