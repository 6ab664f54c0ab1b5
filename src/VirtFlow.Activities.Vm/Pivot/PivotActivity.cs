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
    private static readonly string[] Modes = [QuiesceModes.Auto, QuiesceModes.FsFreeze, QuiesceModes.Pause, QuiesceModes.None];

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.pivot",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Switches the VM to the targets of all its READY mirrors at once (complete all → all pending → finalize all, on the host). "
            + "All or nothing: a failure before the switch cancels every job and the VM stays on its sources. Then dismisses the jobs. "
            + "With quiesce, the host also freezes or pauses the guest for the switch only, in the same command.",
        Inputs =
        [
            CommonInputs.Host,
            CommonInputs.Vm,
            CommonInputs.Jobs("to pivot (all READY)"),
            new("pendingTimeout", "duration", "How long every job may take to reach pending before the pivot is called off and every job cancelled "
                + "(keep the pivot inside the quiesce lease).", Default: "30s"),
            new("finalizeTimeout", "duration", "How long the switch itself (finalize of every pending job) may take.", Default: "30s"),
            new("dismiss", "boolean", "Dismiss the concluded jobs and remove the old source nodes once the outcome is stored.", Default: true),
            new("quiesce", "string", "Hold the guest still for the switch only, on the host, in the same command (released before the host answers): "
                + "auto: fsfreeze through the guest agent, else pause; fsfreeze: the agent only (fails without it); pause: stop the CPUs; "
                + "none: nothing (crash-consistent; the guest may already be quiesced by vm.quiesce).", Default: "none", Enum: Modes),
            new("lease", "duration", "The quiesce's lease, the backstop: should the switch outlast it, or the host's worker die mid-way, "
                + "the guest is released when it runs out.", Default: "60s"),
            new("agentTimeout", "duration", "How long the guest agent may take to answer (auto falls back to pause after it).", Default: "5s"),
            CommonInputs.CommandTimeout,
        ],
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
        var host = context.HostId();
        var jobs = JobRef.ParseAll(context.OptionalArray("jobs"), "jobs");
        if (jobs.Count == 0) throw new VmInputException("input 'jobs' lists no job");
        var pendingTimeout = context.Duration("pendingTimeout", TimeSpan.FromSeconds(30));
        var finalizeTimeout = context.Duration("finalizeTimeout", TimeSpan.FromSeconds(30));
        var quiesce = context.Choice("quiesce", QuiesceModes.None, Modes);
        var lease = context.Duration("lease", TimeSpan.FromSeconds(60));
        var agentTimeout = context.Duration("agentTimeout", TimeSpan.FromSeconds(5));
        if (lease <= TimeSpan.Zero) throw new VmInputException("input 'lease' must be longer than 0s");
        if (agentTimeout <= TimeSpan.Zero) throw new VmInputException("input 'agentTimeout' must be longer than 0s");
        context.State["jobs"] = JobRef.ToJson(jobs);
        var command = new PivotJobs
        {
            CommandId = AssignedByOutbox,
            HostId = host,
            Vm = context.RequiredString("vm"),
            JobIds = [.. jobs.Select(j => j.JobId)],
            PendingTimeout = pendingTimeout,
            FinalizeTimeout = finalizeTimeout,
            Quiesce = quiesce,
            Lease = lease,
            AgentTimeout = agentTimeout,
            // The old sources are unused after the switch: name them, as a worker restarted since the mirror would not know them.
            Dismiss = context.Boolean("dismiss", true),
            Nodes = [.. jobs.Select(j => j.SourceNode).OfType<string>()],
        };
        return Ask(context, host, command, PivotPhase, Timeout(context) + pendingTimeout + finalizeTimeout + (quiesce == QuiesceModes.None ? TimeSpan.Zero : agentTimeout));
    }

    private protected override ActivityOutcome OnReply(ActivityContext context, PendingCommand command, HostReply reply)
    {
        var vm = context.RequiredString("vm");
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
        if (!context.Boolean("dismiss", true)) return Done(context, false);
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
        var vm = context.RequiredString("vm");
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
            context.Journal("PivotAbandoned", $"the pivot of VM '{context.RequiredString("vm")}' was abandoned ({reason}) while the host runs it: its outcome is the host's");
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

    private static TimeSpan Timeout(ActivityContext context) => context.Duration("commandTimeout", CommonInputs.DefaultCommandTimeout);
}
