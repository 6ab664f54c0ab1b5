using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Messaging;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.WaitReady;

public sealed partial class WaitReadyActivity
{
    /// <summary>QEMU job statuses after which a job will never become (or stay) READY.</summary>
    private static readonly HashSet<string> Ended = new(StringComparer.OrdinalIgnoreCase) { "aborting", "concluded", "null", "undefined" };

    /// <summary>A <c>JobStatusChanged</c>: READY marks the job; an ended job faults, naming its disk.</summary>
    private static ActivityOutcome? OnJobStatus(ActivityContext context, WaitState state, Settings settings, JsonNode? payload, DateTimeOffset now)
    {
        var e = HostMessageJson.ReadEvent<JobStatusChanged>(payload);
        var job = e is null || e.Vm != settings.Vm ? null : state.Find(e.JobId);
        if (job is null || job.Redo is not null) return null;
        if (!job.Ready && job.Measure(e!.Offset, e.Length, now)) Report(context, job);
        return Apply(context, job, settings, e!.Status, e.Outcome, e.Error, now) ?? EvaluateStall(context, state, settings, now);
    }

    /// <summary>A <c>JobProgress</c>: reported (live and journal) and fed to the stall detector.</summary>
    private static ActivityOutcome? OnProgress(ActivityContext context, WaitState state, Settings settings, JsonNode? payload, DateTimeOffset now)
    {
        var e = HostMessageJson.ReadEvent<JobProgress>(payload);
        var job = e is null || e.Vm != settings.Vm ? null : state.Find(e.JobId);
        if (job is null || job.Ready || job.Redo is not null) return null;
        if (job.Measure(e!.Offset, e.Length, now)) Report(context, job);
        return EvaluateStall(context, state, settings, now);
    }

    private static ActivityOutcome OnVmGone(WaitState state, Settings settings, JsonNode? payload)
    {
        var reason = HostMessageJson.ReadEvent<VmGone>(payload)?.Reason is { Length: > 0 } r ? r : "its QMP connection ended";
        var waiting = state.Jobs.Where(j => !j.Ready).Select(j => j.Name).ToList();
        return ActivityOutcome.Fault(
            $"VM '{settings.Vm}' on host '{settings.Host}' is gone ({reason}): the mirrors of {string.Join(", ", waiting.Count > 0 ? waiting : state.Jobs.Select(j => j.Name))} ended with it",
            "VmGone");
    }

    /// <summary>The stall window of some job ran out with no news: ask the host where the copy stands.</summary>
    private static ActivityOutcome? OnStallCheck(ActivityContext context, WaitState state, Settings settings)
    {
        if (PendingCommand.Read(context.State) is not null) return null;
        Send(context, settings.Host, new QueryVm { CommandId = AssignedByOutbox, HostId = settings.Host, Vm = settings.Vm }, MeasureQuery, settings.CommandTimeout);
        return null;
    }

    /// <summary>What QEMU has (docs/rules.md#r3-reconcile): jobs already READY count, jobs ended or gone fault, offsets feed the stall detector.</summary>
    private static ActivityOutcome? OnQueryReply(ActivityContext context, WaitState state, Settings settings, PendingCommand command, HostReply reply)
    {
        if (!reply.Success)
        {
            context.Journal("QueryFailed", $"host '{settings.Host}' could not report the jobs of VM '{settings.Vm}' ({reply.ErrorText}); waiting for events");
            return null;
        }
        var listed = reply.As<QueryVmResult>()?.Jobs;
        var now = context.Clock.GetUtcNow();
        foreach (var job in state.Jobs.Where(j => j.Redo is null))
        {
            var found = listed?.FirstOrDefault(s => s is not null && s.JobId == job.Job.JobId);
            if (found is null)
            {
                if (listed is null) continue;
                return ActivityOutcome.Fault(
                    $"mirror of {job.Name} on VM '{settings.Vm}' is gone: host '{settings.Host}' has no job {job.Job.JobId}", "JobGone");
            }
            if (!job.Ready && job.Measure(found.Offset, found.Length, now)) Report(context, job);
            if (Apply(context, job, settings, found.Status ?? "", null, found.Error, now) is { } fault) return fault;
        }
        if (command.Purpose == InitialQuery && state.Jobs.Exists(j => j.Ready))
            context.Journal("MirrorsAlreadyReady", $"already READY on the host: {string.Join(", ", state.Jobs.Where(j => j.Ready).Select(j => j.Name))}");
        return EvaluateStall(context, state, settings, now);
    }

    /// <summary>A job's status: READY marks it (and stays marked: a READY job may blip to standby), an ended job faults.</summary>
    private static ActivityOutcome? Apply(ActivityContext context, WatchedJob job, Settings settings, string status, string? outcome, string? error, DateTimeOffset now)
    {
        if (status.Equals("ready", StringComparison.OrdinalIgnoreCase))
        {
            if (job.Ready) return null;
            job.Ready = true;
            job.ReadyAt = now;
            if (job.Length > 0) job.Offset = job.Length;
            context.Journal("MirrorReady", $"mirror of {job.Name} on VM '{settings.Vm}' is READY (job {job.Job.JobId})");
            Report(context, job);
            return null;
        }
        if (!Ended.Contains(status) && error is null) return null;
        // Aborting carries no reason yet; concluded follows at once with QEMU's error (No space left on device ...).
        if (status.Equals("aborting", StringComparison.OrdinalIgnoreCase) && error is null) return null;
        var why = error is { Length: > 0 } ? error : outcome is { Length: > 0 } ? $"the job ended ({outcome})" : $"the job is {status}";
        return ActivityOutcome.Fault(job.Ready
            ? $"mirror of {job.Name} on VM '{settings.Vm}' ended before the pivot: {why}"
            : $"mirror of {job.Name} on VM '{settings.Vm}' failed before it was READY: {why}", "MirrorFailed");
    }

    /// <summary>
    /// The stall detector, after a measurement: a job whose remaining bytes have not reached a new low for the
    /// window faults (<c>fail</c>) or is marked for a restart in write-blocking mode.
    /// </summary>
    private static ActivityOutcome? EvaluateStall(ActivityContext context, WaitState state, Settings settings, DateTimeOffset now)
    {
        foreach (var job in state.Jobs.Where(j => !j.Ready && j.Redo is null && j.MinAt is not null))
        {
            if (now - job.MinAt!.Value < settings.StallWindow) continue;
            var message = $"mirror of {job.Name} is not converging: {job.Remaining} bytes remain after {settings.StallWindowText} "
                + $"(VM '{settings.Vm}', {job.Percent ?? 0}% copied)";
            if (!settings.WriteBlocking) return ActivityOutcome.Fault(message, "NotConverging");
            if (job.Job.CopyMode == "write-blocking")
                return ActivityOutcome.Fault(message.Replace(" is not converging:", " is not converging even in write-blocking mode:", StringComparison.Ordinal), "NotConverging");
            if (job.Job.Device is null || job.Job.Target is null || job.Job.Format is null)
                return ActivityOutcome.Fault(message + "; it cannot be restarted in write-blocking mode without its device, target and format (give vm.waitReady the jobs output of vm.mirror)", "NotConverging");
            job.Redo = "due";
            context.Journal("MirrorStalled", message + "; restarting it in write-blocking mode");
        }
        return null;
    }

    /// <summary>When to look at the copy again: the earliest end of a stall window (a job with no news for a window gets a query).</summary>
    private static DateTimeOffset? NextStallCheck(WaitState state, Settings settings, DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var job in state.Jobs.Where(j => !j.Ready && j.Redo is null))
        {
            var due = (job.MinAt ?? job.WatchedSince) + settings.StallWindow;
            if (due <= now) due = now + settings.StallWindow;
            if (next is null || due < next) next = due;
        }
        return next;
    }

    private static void Report(ActivityContext context, WatchedJob job) => context.ReportProgress(new JsonObject
    {
        ["device"] = job.Job.Device,
        ["jobId"] = job.Job.JobId,
        ["offset"] = job.Offset,
        ["length"] = job.Length,
    });

    /// <summary>"mirrors not ready after 1h: vdb (34%)"</summary>
    private static string NotReadyMessage(WaitState state, Settings settings) =>
        $"mirrors not ready after {settings.TimeoutText}: "
        + string.Join(", ", state.Jobs.Where(j => !j.Ready).Select(j =>
            j.Redo is not null ? $"{j.Name} (being restarted in write-blocking mode)"
            : j.Percent is { } p ? $"{j.Name} ({p}%)"
            : $"{j.Name} (no progress reported)"));
}
