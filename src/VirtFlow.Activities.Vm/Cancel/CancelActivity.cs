using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Cancel;

/// <summary>
/// <c>vm.cancel</c>: ends mirror jobs with the VM on its sources (<see cref="CancelJobs"/>, then
/// <see cref="DismissJobs"/>). A READY mirror cancelled without <c>force</c> leaves its target holding a
/// point-in-time copy of the disk. Idempotent: jobs already gone count as cancelled. With
/// <c>includeInstanceJobs</c> it first asks the host (<see cref="QueryVm"/>, docs/rules.md#r3-reconcile): it leaves out the given
/// jobs the host no longer has and also cancels every other job of this workflow instance it finds (ids start
/// with <c>vf-{instance hash}-</c>): the write-blocking replacement of a stalled mirror, or the jobs of a mirror
/// whose reply never came. That makes it the rollback step of a workflow.
/// </summary>
public sealed class CancelActivity : VmActivity
{
    private const string QueryPhase = "query";
    private const string CancelPhase = "cancel";
    private const string DismissPhase = "dismiss";

    /// <summary>Error classes meaning "no such job": the job is gone, which is what a cancel wants.</summary>
    private static readonly HashSet<string> Gone = new(StringComparer.Ordinal) { HostErrorClasses.JobNotFound, "DeviceNotActive" };

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.cancel",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Cancels mirror jobs with the VM staying on its sources, then dismisses them. After READY (and without force) each target holds a point-in-time copy. "
            + "Idempotent: jobs already gone count as cancelled.",
        InputRecord = typeof(CancelInputs),
        Outputs =
        [
            new("cancelled", "array", "The jobs cancelled (or found already ended or gone): [{ device, jobId, target, format, ..., status, outcome, error }]."),
            new("dismissed", "boolean", "True when the jobs were dismissed afterwards."),
        ],
    };

    protected override ActivityOutcome Start(ActivityContext context)
    {
        var with = In<CancelInputs>(context);
        var host = with.Host;
        var jobs = JobRef.Distinct(with.Jobs);
        context.State["jobs"] = JobRef.ToJson(jobs);
        if (!with.IncludeInstanceJobs) return CancelAll(context, host, jobs);
        return Ask(context, host, new QueryVm { CommandId = AssignedByOutbox, HostId = host, Vm = with.Vm }, QueryPhase, with.CommandTimeout);
    }

    private protected override ActivityOutcome OnReply(ActivityContext context, PendingCommand command, HostReply reply)
    {
        var vm = With(context).Vm;
        var jobs = JobRef.FromState(context.State["jobs"]);
        switch (command.Purpose)
        {
            case QueryPhase:
                if (!reply.Success)
                {
                    context.Journal("QueryFailed", $"host '{command.Host}' could not list the jobs of VM '{vm}' ({reply.ErrorText}): cancelling the given jobs only");
                    return CancelAll(context, command.Host, jobs);
                }
                if (reply.As<QueryVmResult>()?.Jobs is not { } listed) return CancelAll(context, command.Host, jobs);
                var prefix = JobIds.InstancePrefix(context.InstanceId);
                var onHost = listed.Select(s => s?.JobId).OfType<string>().ToHashSet(StringComparer.Ordinal);
                var gone = jobs.Where(j => !onHost.Contains(j.JobId)).ToList();
                var found = onHost.Where(id => id.StartsWith(prefix, StringComparison.Ordinal) && !jobs.Exists(j => j.JobId == id)).Order(StringComparer.Ordinal).ToList();
                if (gone.Count > 0)
                    context.Journal("JobsGone", $"already gone from VM '{vm}': {ReplyDetails.Names(gone)}");
                if (found.Count > 0)
                    context.Journal("JobsFound", $"also cancelling {string.Join(", ", found)}: jobs of this instance on VM '{vm}'");
                context.State["gone"] = JobRef.ToJson(gone);
                return CancelAll(context, command.Host, [.. jobs.Except(gone), .. found.Select(id => new JobRef(id, null))]);

            case CancelPhase:
                if (!reply.Success && !Gone.Contains(reply.Result.ErrorClass ?? ""))
                {
                    var failed = ReplyDetails.FailedDisks(reply, jobs);
                    return ActivityOutcome.Fault(
                        ReplyDetails.Explain($"cancel of {ReplyDetails.Names(failed)} on VM '{vm}'", vm, failed.Select(j => j.Name), reply.ErrorText),
                        reply.Result.ErrorClass ?? "CancelFailed");
                }
                var states = reply.As<JobsResult>()?.Jobs ?? [];
                var ended = JobRef.ToJson(jobs);
                foreach (var item in ended.OfType<JsonObject>())
                {
                    var state = states.FirstOrDefault(s => s.JobId == item["jobId"]!.GetValue<string>());
                    item["status"] = state?.Status;
                    item["outcome"] = state?.Outcome;
                    item["error"] = state?.Error;
                }
                context.State["cancelled"] = ended;
                context.Journal("MirrorsCancelled", $"mirrors of {ReplyDetails.Names(jobs)} on VM '{vm}' cancelled: the VM stays on its sources", ended.DeepClone());
                // The targets are unused now: name their nodes, as a worker restarted since the mirror would not know them.
                var dismiss = new DismissJobs
                {
                    CommandId = AssignedByOutbox,
                    HostId = command.Host,
                    Vm = vm,
                    JobIds = [.. jobs.Select(j => j.JobId)],
                    Nodes = [.. jobs.Select(j => j.TargetNode).OfType<string>()],
                    DeleteTargets = With(context).IncludeInstanceJobs,
                };
                return Ask(context, command.Host, dismiss, DismissPhase, Timeout(context));

            default:
                if (!reply.Success && !Gone.Contains(reply.Result.ErrorClass ?? ""))
                    context.Journal("DismissProblem", $"the jobs of VM '{vm}' are cancelled, but dismissing them failed: {reply.ErrorText}");
                if (reply.As<DismissJobsResult>()?.DeletedFiles is { Count: > 0 } files)
                    context.Journal("TargetsRemoved", $"removed {string.Join(", ", files)} (created for this instance on VM '{vm}')");
                return Done(context, jobs, reply.Success || Gone.Contains(reply.Result.ErrorClass ?? ""));
        }
    }

    private protected override ActivityOutcome OnNoAnswer(ActivityContext context, PendingCommand command)
    {
        var vm = With(context).Vm;
        var jobs = JobRef.FromState(context.State["jobs"]);
        switch (command.Purpose)
        {
            case QueryPhase:
                context.Journal("QueryFailed", $"listing the jobs of VM '{vm}': {NoAnswer(command)}; cancelling the given jobs only");
                return CancelAll(context, command.Host, jobs);
            case DismissPhase:
                context.Journal("DismissProblem", $"the jobs of VM '{vm}' are cancelled, but dismissing them: {NoAnswer(command)}");
                return Done(context, jobs, false);
            default:
                return ActivityOutcome.Fault($"cancel of {ReplyDetails.Names(jobs)} on VM '{vm}': {NoAnswer(command)}", "NoAnswer");
        }
    }

    private ActivityOutcome CancelAll(ActivityContext context, string host, List<JobRef> jobs)
    {
        context.State["jobs"] = JobRef.ToJson(jobs);
        if (jobs.Count == 0) return Done(context, jobs, false);
        var with = With(context);
        var cancelTimeout = with.CancelTimeout;
        var cancel = new CancelJobs
        {
            CommandId = AssignedByOutbox,
            HostId = host,
            Vm = with.Vm,
            JobIds = [.. jobs.Select(j => j.JobId)],
            Force = with.Force,
            Timeout = cancelTimeout,
        };
        return Ask(context, host, cancel, CancelPhase, Timeout(context) + cancelTimeout);
    }

    /// <summary>Outputs: the jobs cancelled (with their end as the host reported it), then those found already gone.</summary>
    private static ActivityOutcome Done(ActivityContext context, List<JobRef> jobs, bool dismissed)
    {
        var cancelled = context.State["cancelled"]?.DeepClone() as JsonArray ?? JobRef.ToJson(jobs);
        foreach (var gone in context.State["gone"]?.AsArray() ?? [])
        {
            var item = (JsonObject)gone!.DeepClone();
            item["status"] = "null";
            cancelled.Add(item);
        }
        return ActivityOutcome.Complete(new JsonObject { ["cancelled"] = cancelled, ["dismissed"] = dismissed });
    }

    private TimeSpan Timeout(ActivityContext context) => With(context).CommandTimeout;

    private CancelInputs With(ActivityContext context) => In<CancelInputs>(context);
}
