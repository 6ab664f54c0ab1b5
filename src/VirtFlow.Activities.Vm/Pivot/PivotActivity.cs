using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Pivot;

/// <summary>
/// <c>vm.pivot</c>: switches the VM to the targets of all its READY mirrors at once with one
/// <see cref="PivotJobs"/>: the worker completes every job, waits until all are pending, then finalizes them
/// all; if any fails before pending it cancels all and the VM stays on its sources. Once the outcome is in the
/// switch, the same command also dismisses the concluded jobs and removes the old source nodes (<see cref="PivotJobs.Dismiss"/>:
/// no second round trip); a repeat after a crash finds the jobs switched (and gone) and answers the same. A worker that
/// does not know that field gets a second command, <see cref="DismissJobs"/>, once the outcome is stored. A failed dismiss
/// is journaled, never a fault: the VM has moved.
/// With <c>quiesce</c> the same command also holds the guest for the switch only (the worker quiesces once it has read
/// what it needs, and releases the guest as soon as the jobs concluded): no engine round trip happens while it is held.
/// </summary>
public sealed class PivotActivity : VmActivity
{
    private const string PivotPhase = "pivot";
    private const string DismissPhase = "dismiss";

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.pivot",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Switches the VM to the targets of all its READY mirrors at once (complete all → all pending → finalize all, on the host). "
            + "All or nothing: a failure before the switch cancels every job and the VM stays on its sources. Then dismisses the jobs. "
            + "With quiesce, the host also freezes or pauses the guest for the switch only, in the same command.",
        InputRecord = typeof(PivotInputs),
        Outputs =
        [
            new("pivoted", "array", "The disks now on their targets: [{ device, jobId, target, format, sourceNode, targetNode, copyMode }]."),
            new("windowMs", "number", "How long the switch took on the host: first job-complete to last job concluded (ms)."),
            new("completeToPendingMs", "number", "Of which: first job-complete until every job was pending (ms)."),
            new("finalizeMs", "number", "Of which: first job-finalize until every job was concluded (ms)."),
            new("pivotedAt", "string", "When the host finished the switch (ISO 8601, host clock)."),
            new("dismissed", "boolean", "True when the jobs were dismissed afterwards."),
            new("quiesceMethod", "string", "How the guest was held for the switch: fsfreeze, pause or none."),
            new("quiescedMs", "number", "How long the guest was held, as the host measured it: quiesced → released (ms); with none, the switch."),
            new("wasPaused", "boolean", "True when the VM was paused before (it was neither stopped nor resumed)."),
            new("frozenFilesystems", "integer", "Filesystems the guest agent froze (fsfreeze)."),
        ],
    };

    protected override ActivityOutcome Start(ActivityContext context)
    {
        var with = In<PivotInputs>(context);
        var host = with.Host;
        var jobs = JobRef.Distinct(with.Jobs);
        if (jobs.Count == 0) throw new VmInputException("input 'jobs' lists no job");
        var (pendingTimeout, finalizeTimeout, quiesce, agentTimeout) = (with.PendingTimeout, with.FinalizeTimeout, with.Quiesce, with.AgentTimeout);
        context.State["jobs"] = JobRef.ToJson(jobs);
        var command = new PivotJobs
        {
            CommandId = AssignedByOutbox,
            HostId = host,
            Vm = with.Vm,
            JobIds = [.. jobs.Select(j => j.JobId)],
            PendingTimeout = pendingTimeout,
            FinalizeTimeout = finalizeTimeout,
            Quiesce = quiesce,
            Lease = with.Lease,
            AgentTimeout = agentTimeout,
            // The old sources are unused after the switch: name them, as a worker restarted since the mirror would not know them.
            Dismiss = with.Dismiss,
            Nodes = [.. jobs.Select(j => j.SourceNode).OfType<string>()],
        };
        return Ask(context, host, command, PivotPhase, with.CommandTimeout + pendingTimeout + finalizeTimeout + (quiesce == QuiesceModes.None ? TimeSpan.Zero : agentTimeout));
    }

    private protected override ActivityOutcome OnReply(ActivityContext context, PendingCommand command, HostReply reply)
    {
        var vm = In<PivotInputs>(context).Vm;
        var jobs = JobRef.FromState(context.State["jobs"]);
        if (command.Purpose == DismissPhase)
        {
            if (!reply.Success) context.Journal("DismissProblem", $"the pivot of VM '{vm}' is done, but dismissing its jobs failed: {reply.ErrorText}");
            return Done(context, reply.Success);
        }
        if (!reply.Success) return Failed(vm, jobs, reply);

        var result = reply.As<PivotJobsResult>();
        var pivoted = jobs.Select(j => result?.Jobs.FirstOrDefault(p => p.JobId == j.JobId) is { } p
            ? j with { Device = j.Device ?? p.Device, TargetNode = p.TargetNode }
            : j).ToList();
        var outcome = new JsonObject
        {
            ["pivoted"] = JobRef.ToJson(pivoted),
            ["windowMs"] = result?.TotalMs,
            ["completeToPendingMs"] = result?.CompleteToPendingMs,
            ["finalizeMs"] = result?.FinalizeMs,
            ["pivotedAt"] = reply.Result.At.ToString("O"),
            ["quiesceMethod"] = result?.Quiesce?.Method ?? QuiesceModes.None,
            ["quiescedMs"] = result?.Quiesce?.QuiescedMs,
            ["wasPaused"] = result?.Quiesce?.WasPaused,
            ["frozenFilesystems"] = result?.Quiesce?.FrozenFilesystems ?? 0,
        };
        context.State["outcome"] = outcome;
        context.Journal("Pivoted",
            $"VM '{vm}' now runs on its targets: {string.Join(", ", pivoted.Select(j => j.Target is null ? j.Name : $"{j.Name} → {j.Target}"))}"
            + (result is null ? "" : $" (switch window {result.TotalMs:0.#} ms")
            + (result?.Quiesce is { } q ? $", guest held by {q.Method} for {q.QuiescedMs:0.#} ms)" : result is null ? "" : ")"),
            outcome.DeepClone());
        if (result?.Quiesce is { Released: false } held)
            context.Journal("QuiesceReleaseProblem", $"VM '{vm}' moved, but releasing its guest ({held.Method}) after the switch failed: {held.ReleaseError}; "
                + "the host's worker keeps retrying, and the lease ends it");
        if (!In<PivotInputs>(context).Dismiss) return Done(context, false);
        if (result?.Dismissed is not null || result?.DismissError is not null)
        {
            if (result.DismissError is { } problem)
                context.Journal("DismissProblem", $"the pivot of VM '{vm}' is done, but dismissing its jobs failed: {problem}");
            return Done(context, result.DismissError is null);
        }

        // The old sources are unused now: name them, as a worker restarted since the mirror would not know them.
        var dismiss = new DismissJobs
        {
            CommandId = AssignedByOutbox,
            HostId = command.Host,
            Vm = vm,
            JobIds = [.. jobs.Select(j => j.JobId)],
            Nodes = [.. jobs.Select(j => j.SourceNode).OfType<string>()],
        };
        return Ask(context, command.Host, dismiss, DismissPhase, Timeout(context));
    }

    private protected override ActivityOutcome OnNoAnswer(ActivityContext context, PendingCommand command)
    {
        var vm = In<PivotInputs>(context).Vm;
        if (command.Purpose == DismissPhase)
        {
            context.Journal("DismissProblem", $"the pivot of VM '{vm}' is done, but dismissing its jobs: {NoAnswer(command)}");
            return Done(context, false);
        }
        var jobs = JobRef.FromState(context.State["jobs"]);
        return ActivityOutcome.Fault(
            $"pivot of {ReplyDetails.Names(jobs)} on VM '{vm}': {NoAnswer(command)}; whether the disks switched is unknown until the host answers (vm.query tells)",
            "NoAnswer");
    }

    protected override void OnAbandon(ActivityContext context, string reason)
    {
        if (PendingCommand.Read(context.State) is { Purpose: PivotPhase })
            context.Journal("PivotAbandoned", $"the pivot of VM '{In<PivotInputs>(context).Vm}' was abandoned ({reason}) while the host runs it: its outcome is the host's");
    }

    /// <summary>
    /// "VM web1: pivot failed: job … (disk vdb) …; every job was cancelled; the VM stays on its sources": the worker's
    /// words when they name the VM and disk, else prefixed; plus what moved, when the worker's words do not say it.
    /// </summary>
    private static ActivityOutcome Failed(string vm, List<JobRef> jobs, HostReply reply)
    {
        var failed = ReplyDetails.FailedDisks(reply, jobs);
        var why = ReplyDetails.Explain($"pivot of {ReplyDetails.Names(failed)} on VM '{vm}'", vm, failed.Select(j => j.Name), reply.ErrorText);
        var moved = reply.Result.ErrorClass == HostErrorClasses.PivotIncomplete
            ? jobs.Where(j => reply.As<PivotJobsResult>()?.Jobs.FirstOrDefault(p => p.JobId == j.JobId)?.Device is not null).ToList()
            : jobs.Where(j => reply.As<JobsResult>()?.Jobs.FirstOrDefault(s => s.JobId == j.JobId)?.Outcome == JobOutcomes.Completed).ToList();
        var stayed = jobs.Except(moved).ToList();
        var what = moved.Count == 0
            ? "no disk was switched, the VM stays on its sources"
            : $"switched: {ReplyDetails.Names(moved)}; still on {(stayed.Count == 1 ? "its source" : "their sources")}: {(stayed.Count == 0 ? "none" : ReplyDetails.Names(stayed))}";
        var said = moved.Count == 0 && why.Contains("stays on its sources", StringComparison.Ordinal);
        return ActivityOutcome.Fault(said ? why : $"{why}; {what}", reply.Result.ErrorClass ?? "PivotFailed");
    }

    private static ActivityOutcome Done(ActivityContext context, bool dismissed)
    {
        var outputs = context.State["outcome"]?.DeepClone() as JsonObject ?? new JsonObject();
        outputs["dismissed"] = dismissed;
        return ActivityOutcome.Complete(outputs);
    }

    private TimeSpan Timeout(ActivityContext context) => In<PivotInputs>(context).CommandTimeout;
}
