namespace VirtFlow.HostWorker;

// Reporting again what QEMU has (rule 3), on demand: after a broker outage an engine may have missed events.
public sealed partial class HostWorker
{
    /// <summary>
    /// Publishes a fresh <see cref="VirtFlow.Contracts.VmJobsSnapshot"/> (and a <see cref="VirtFlow.Contracts.JobStatusChanged"/>
    /// per job) for every connected VM; a VM not connected reports on its next connect anyway. Returns at once.
    /// </summary>
    /// <param name="reason">Why, for the log.</param>
    public void ReportAgain(string reason)
    {
        if (Volatile.Read(ref _disposed) == 1 || Volatile.Read(ref _started) == 0) return;
        Log.ReportingAgain(_logger, reason);
        foreach (var session in _sessions.Values) session.RequestSnapshot();
    }
}
