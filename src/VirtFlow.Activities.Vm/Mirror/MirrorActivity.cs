using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.Mirror;

/// <summary>
/// <c>vm.mirror</c>: starts one mirror job per disk with a single <see cref="MirrorDisks"/> (the worker starts
/// all or none) and completes with the jobs once the host confirms. Job ids are deterministic
/// (<see cref="JobIds"/>): a re-run after a crash sends the same command with the same ids, which the worker
/// answers without starting anything twice.
/// <para>
/// When the host refuses, the activity faults with the worker's reason, naming the disk
/// (<see cref="MirrorFailure.Device"/>). The worker undoes a refused mirror itself and says so
/// (<see cref="MirrorFailure"/>); when it reports something left over, or failed in a way that leaves its
/// state unknown, the activity first sends <see cref="CancelJobs"/> then <see cref="DismissJobs"/> for every
/// job of the command. When the host
/// does not answer, it queues a <see cref="CancelJobs"/> behind the mirror (no waiting for a host that may
/// have no worker) and faults. Abandoned while waiting: the same cancel.
/// </para>
/// </summary>
public sealed class MirrorActivity : VmActivity
{
    private const string MirrorPhase = "mirror";
    private const string CancelPhase = "rollback-cancel";
    private const string DismissPhase = "rollback-dismiss";

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.mirror",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Starts copying disks of a running VM to new images (one QEMU mirror job per disk, all or none). "
            + "Completes when the jobs run; wait for them with vm.waitReady, then vm.pivot or vm.cancel.",
        InputRecord = typeof(MirrorInputs),
        Outputs = [CommonInputs.JobsOutput("The jobs started, one per disk")],
    };

    protected override ActivityOutcome Start(ActivityContext context)
    {
        var with = With(context);
        var (host, vm, speed) = (with.Host, with.Vm, with.Speed);
        var copyMode = InputBinder.Spelling(with.CopyMode);
        var disks = DiskSpecs.Of(with.Disks, context, copyMode);

        context.State["jobs"] = JobRef.ToJson(disks.Select(d => d.Job));
        var command = new MirrorDisks
        {
            CommandId = AssignedByOutbox,
            HostId = host,
            Vm = vm,
            Disks = disks.Select(d => new DiskMirrorSpec(d.Job.Device!, d.Job.Target!, d.Job.Format!, d.Job.JobId, d.Reuse, speed, copyMode)).ToList(),
        };
        return Ask(context, host, command, MirrorPhase, with.CommandTimeout);
    }

    private protected override ActivityOutcome OnReply(ActivityContext context, PendingCommand command, HostReply reply)
    {
        var jobs = JobRef.FromState(context.State["jobs"]);
        var vm = With(context).Vm;
        switch (command.Purpose)
        {
            case MirrorPhase when reply.Success:
                var started = jobs.Select(j => ReplyDetails.WithNodes(j, reply)).ToList();
                context.Journal("MirrorStarted", $"mirroring {Describe(started)} on VM '{vm}'", new JsonObject { ["jobs"] = JobRef.ToJson(started) });
                return ActivityOutcome.Complete(new JsonObject { ["jobs"] = JobRef.ToJson(started) });

            case MirrorPhase:
                var report = reply.As<MirrorFailure>();
                var failed = report?.Device is { Length: > 0 } device && jobs.Find(j => j.Device == device) is { } named
                    ? [named]
                    : ReplyDetails.FailedDisks(reply, jobs);
                context.State["fault"] = ReplyDetails.Explain($"mirror of {ReplyDetails.Names(failed)} on VM '{vm}'", vm, failed.Select(j => j.Name), reply.ErrorText);
                context.State["code"] = reply.Result.ErrorClass ?? "MirrorFailed";
                if (report is { Problems.Count: 0 })
                {
                    context.Journal("MirrorRefused", $"host '{command.Host}' refused to mirror {ReplyDetails.Names(failed)} of VM '{vm}' and undid the rest "
                        + $"(jobs cancelled: {List(report.CancelledJobs)}; nodes removed: {List(report.RemovedNodes)}; files deleted: {List(report.DeletedFiles)})");
                    return SavedFault(context);
                }
                if (report is null && !StateUnknown.Contains(reply.Result.ErrorClass ?? ""))
                {
                    context.Journal("MirrorRefused", $"host '{command.Host}' refused to mirror {ReplyDetails.Names(failed)} of VM '{vm}' before starting anything: {reply.ErrorText}");
                    return SavedFault(context);
                }
                context.Journal("MirrorRefused", $"host '{command.Host}' refused to mirror {ReplyDetails.Names(failed)} of VM '{vm}': {reply.ErrorText}; "
                    + (report is null ? "what it started is unknown" : $"its own clean-up left: {string.Join("; ", report.Problems)}")
                    + ": cancelling and dismissing every job of the command");
                return Ask(context, command.Host, Cancel(context, command.Host, vm, jobs), CancelPhase, Timeout(context));

            case CancelPhase:
                if (!reply.Success) context.Journal("RollbackProblem", $"cancelling the jobs of VM '{vm}' after the refused mirror: {reply.ErrorText}");
                return Ask(context, command.Host, new DismissJobs { CommandId = AssignedByOutbox, HostId = command.Host, Vm = vm, JobIds = jobs.Select(j => j.JobId).ToList(), DeleteTargets = true },
                    DismissPhase, Timeout(context));

            default:
                if (!reply.Success) context.Journal("RollbackProblem", $"dismissing the jobs of VM '{vm}' after the refused mirror: {reply.ErrorText}");
                return SavedFault(context);
        }
    }

    private protected override ActivityOutcome OnNoAnswer(ActivityContext context, PendingCommand command)
    {
        if (command.Purpose != MirrorPhase)
        {
            context.Journal("RollbackProblem", $"{command.MessageType} after the refused mirror: {NoAnswer(command)}");
            return SavedFault(context);
        }
        var jobs = JobRef.FromState(context.State["jobs"]);
        var vm = With(context).Vm;
        Tell(context, command.Host, Cancel(context, command.Host, vm, jobs));
        return ActivityOutcome.Fault(
            $"mirror of {ReplyDetails.Names(jobs)} on VM '{vm}': {NoAnswer(command)}; a CancelJobs for its jobs is queued behind it",
            "NoAnswer");
    }

    protected override void OnAbandon(ActivityContext context, string reason)
    {
        if (PendingCommand.Read(context.State) is not { Purpose: MirrorPhase } command) return;
        var jobs = JobRef.FromState(context.State["jobs"]);
        var vm = With(context).Vm;
        Tell(context, command.Host, Cancel(context, command.Host, vm, jobs));
        context.Journal("MirrorAbandoned", $"mirror of {ReplyDetails.Names(jobs)} on VM '{vm}' abandoned ({reason}): cancel sent");
    }

    private static CancelJobs Cancel(ActivityContext context, string host, string vm, List<JobRef> jobs) => new()
    {
        CommandId = AssignedByOutbox,
        HostId = host,
        Vm = vm,
        JobIds = jobs.Select(j => j.JobId).ToList(),
        Force = true,
        InstanceId = context.InstanceId,
    };

    /// <summary>
    /// Failures after which the host cannot say what it started (a crash of the worker's code, a lost QMP
    /// connection): without a <see cref="MirrorFailure"/> report, the jobs are cancelled to be sure. Any other
    /// refusal without a report came before anything started.
    /// </summary>
    private static readonly HashSet<string> StateUnknown = new(StringComparer.Ordinal) { "InternalError", "Disconnected", "Timeout", HostErrorClasses.Timeout };

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);

    private TimeSpan Timeout(ActivityContext context) => With(context).CommandTimeout;

    private MirrorInputs With(ActivityContext context) => In<MirrorInputs>(context);

    private static ActivityOutcome SavedFault(ActivityContext context) => ActivityOutcome.Fault(
        context.State["fault"]?.GetValue<string>() ?? "the mirror failed",
        context.State["code"]?.GetValue<string>() ?? "MirrorFailed");

    private static string Describe(IEnumerable<JobRef> jobs) => string.Join(", ", jobs.Select(j => $"{j.Device} → {j.Target} ({j.Format}, job {j.JobId})"));
}
