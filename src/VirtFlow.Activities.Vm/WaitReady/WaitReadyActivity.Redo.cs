using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.WaitReady;

/// <summary>
/// The restart of a stalled background mirror in write-blocking mode. QEMU 7.2 has no <c>block-job-change</c>
/// (8.2+), so: cancel the job, dismiss it, then mirror the same disk again to the same target with
/// <c>reuse: true</c>, <c>copyMode: write-blocking</c> and the job id <c>{jobId}-wb</c> (a new id, so no event
/// of the cancelled job can be taken for one of its successor).
/// </summary>
public sealed partial class WaitReadyActivity
{
    private const string RedoCancel = "redo-cancel";
    private const string RedoDismiss = "redo-dismiss";
    private const string RedoMirror = "redo-mirror";

    /// <summary>Starts the restart of every job marked <c>due</c>: one CancelJobs for all of them.</summary>
    private static BookmarkRequest[] StartRedo(ActivityContext context, WaitState state, Settings settings)
    {
        var due = state.Jobs.Where(j => j.Redo == "due").ToList();
        foreach (var job in due) job.Redo = "cancel";
        context.Journal("MirrorRestarting",
            $"restarting the mirror of {Names(due)} on VM '{settings.Vm}' in write-blocking mode (QEMU 7.2 cannot switch a running job): cancel, dismiss, mirror again to the same target");
        var cancel = new CancelJobs { CommandId = AssignedByOutbox, HostId = settings.Host, Vm = settings.Vm, JobIds = [.. due.Select(j => j.Job.JobId)], Force = true };
        return Send(context, settings.Host, cancel, RedoCancel, settings.CommandTimeout);
    }

    private static ActivityOutcome? OnRedoReply(ActivityContext context, WaitState state, Settings settings, PendingCommand command, HostReply reply)
    {
        var (phase, next) = command.Purpose switch
        {
            RedoCancel => ("cancel", "dismiss"),
            RedoDismiss => ("dismiss", "mirror"),
            _ => ("mirror", (string?)null),
        };
        var jobs = state.Jobs.Where(j => j.Redo == phase).ToList();
        if (jobs.Count == 0) return null;
        if (!reply.Success)
        {
            var step = phase switch { "cancel" => "cancelling it failed", "dismiss" => "dismissing it failed", _ => "the new mirror failed" };
            return ActivityOutcome.Fault(
                $"mirror of {Names(jobs)} on VM '{settings.Vm}' did not converge and could not be restarted in write-blocking mode: {step}: {reply.ErrorText}",
                "NotConverging");
        }
        switch (next)
        {
            case "dismiss":
                foreach (var job in jobs) job.Redo = next;
                Send(context, settings.Host, new DismissJobs { CommandId = AssignedByOutbox, HostId = settings.Host, Vm = settings.Vm, JobIds = [.. jobs.Select(j => j.Job.JobId)] },
                    RedoDismiss, settings.CommandTimeout);
                return null;
            case "mirror":
                foreach (var job in jobs) job.Redo = next;
                var mirror = new MirrorDisks
                {
                    CommandId = AssignedByOutbox,
                    HostId = settings.Host,
                    Vm = settings.Vm,
                    Disks = [.. jobs.Select(j => new DiskMirrorSpec(j.Job.Device!, j.Job.Target!, j.Job.Format!, JobIds.WriteBlocking(j.Job.JobId), Reuse: true, CopyMode: "write-blocking"))],
                };
                Send(context, settings.Host, mirror, RedoMirror, settings.CommandTimeout);
                return null;
        }
        var now = context.Clock.GetUtcNow();
        foreach (var job in jobs)
        {
            var replaced = job.Job.JobId;
            var fresh = ReplyDetails.WithNodes(job.Job with { JobId = JobIds.WriteBlocking(replaced), CopyMode = "write-blocking" }, reply);
            job.Job = fresh;
            job.ReplacedJobId = replaced;
            job.Redo = null;
            job.WatchedSince = now;
            job.MinRemaining = null;
            job.MinAt = null;
            job.Offset = 0;
            job.Length = 0;
        }
        context.Journal("MirrorRestarted",
            $"mirror of {Names(jobs)} on VM '{settings.Vm}' restarted in write-blocking mode as {string.Join(", ", jobs.Select(j => j.Job.JobId))}");
        return null;
    }

    private static string Names(IEnumerable<WatchedJob> jobs) => string.Join(", ", jobs.Select(j => j.Name));
}
