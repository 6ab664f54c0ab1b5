using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// How a concluded job ended. QEMU reports a READY mirror cancelled without force as BLOCK_JOB_COMPLETED with no
/// error (the VM stayed on its source), so for mirrors the worker looks at the devices: a device using the job's
/// target node means it switched; the target node present but unused means it was cancelled.
/// </summary>
internal static class JobOutcome
{
    /// <summary>QEMU's error text of a job cancelled before READY (or force-cancelled).</summary>
    public const string CancelledError = "Operation canceled";

    /// <param name="type">The job type (<c>mirror</c>), when known.</param>
    /// <param name="error">QEMU's error of the job, if any.</param>
    /// <param name="sawCancelledEvent">BLOCK_JOB_CANCELLED was seen for it.</param>
    /// <param name="view">What QEMU has now (devices and nodes), or null when not loaded.</param>
    /// <param name="targetNode">The job's target node.</param>
    /// <param name="softCancelled">This worker cancelled it without force.</param>
    public static string Of(string? type, string? error, bool sawCancelledEvent, BlockView? view, string targetNode, bool softCancelled)
    {
        if (error is not null) return error == CancelledError || sawCancelledEvent ? JobOutcomes.Cancelled : JobOutcomes.Failed;
        if (sawCancelledEvent) return JobOutcomes.Cancelled;
        if (type is not null && type != "mirror") return JobOutcomes.Completed;
        if (view is not null)
        {
            if (view.DeviceUsing(targetNode) is not null) return JobOutcomes.Completed;
            if (view.Node(targetNode) is not null) return JobOutcomes.Cancelled;
        }
        return softCancelled ? JobOutcomes.Cancelled : JobOutcomes.Completed;
    }

    /// <summary>The outcome of <paramref name="job"/> if it is concluded, else null.</summary>
    public static string? Of(JobInfo job, BlockView? view, string targetNode, bool softCancelled) =>
        job.Status == JobStatus.Concluded ? Of(job.Type, job.Error, false, view, targetNode, softCancelled) : null;
}
