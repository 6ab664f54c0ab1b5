using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>Jobs as QEMU has them now, with their outcomes; and which states are over.</summary>
internal static class JobStates
{
    /// <summary>How long a failing job may stay aborting before its error is read anyway (QEMU concludes it at once).</summary>
    public static readonly TimeSpan AbortingWait = TimeSpan.FromSeconds(10);

    /// <summary>Each job as QEMU has it now, with its outcome.</summary>
    public static async Task<JobsResult> ResultAsync(VmSession session, IQmpClient client, IReadOnlyList<string> ids, IReadOnlySet<string> acted, CancellationToken ct)
    {
        var view = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
        return new JobsResult([.. ids.Select(id => Of(session, view, id, acted.Contains(id)))]);
    }

    public static JobState Of(VmSession session, BlockView view, string id, bool acted)
    {
        var job = view.Job(id);
        if (job is null) return new JobState(id, JobStatus.Null, null, null, acted);
        return new JobState(id, job.Status, session.OutcomeOf(job, view), job.Error, acted);
    }

    /// <summary>Concluded, dismissed, or on the way (aborting): no command moves it anymore.</summary>
    public static bool Ended(string status) => status is JobStatus.Concluded or JobStatus.Null or JobStatus.Aborting;

    /// <summary>Concluded or dismissed.</summary>
    public static bool IsOver(string status) => status is JobStatus.Concluded or JobStatus.Null;
}
