using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Messaging;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.WaitReady;

/// <summary>
/// <c>vm.waitReady</c>: waits until every mirror job is READY (its target in sync), with an overall timeout
/// and a stall detector. It waits on one bookmark per job (<c>job:{host}:{vm}:{jobId}</c>), one per job's
/// progress (<c>progress:...</c>), the VM's end (<c>vm:{host}:{vm}</c>) and two timers, and suspends again
/// with what is left after every hit. Events that came before the wait began (READY 15 ms after the mirror
/// started) are kept by the engine's inbox and hit the bookmarks when they are made; on start it also asks
/// the host (<see cref="QueryVm"/>, docs/rules.md#r3-reconcile) and counts jobs already <c>ready</c> there.
/// <para>
/// Stall detector: when a job's remaining bytes (<c>length - offset</c>) have not reached a new low for
/// <c>stall.window</c>, measured by progress events or, when none come, by a <see cref="QueryVm"/> at the
/// window's end, the mirror is not converging (the guest writes faster than the copy). <c>stall.action:
/// fail</c> faults; <c>writeBlocking</c> restarts that job in write-blocking mode (guest writes reach the
/// target before they complete, so it converges). QEMU 7.2 cannot change the copy mode of a running job
/// (<c>block-job-change</c> came in 8.2), so the restart is: <see cref="CancelJobs"/> the job,
/// <see cref="DismissJobs"/> it, and <see cref="MirrorDisks"/> the same disk again to the same target with
/// <c>reuse: true</c>, <c>copyMode: write-blocking</c> and a new job id (<c>{jobId}-wb</c>).
/// </para>
/// </summary>
public sealed partial class WaitReadyActivity : VmActivity
{
    private const string JobBookmark = "job";
    private const string ProgressBookmark = "progress";
    private const string VmGoneBookmark = "vm-gone";
    private const string TimeoutBookmark = "timeout";
    private const string StallBookmark = "stall-check";

    private const string InitialQuery = "initial-query";
    private const string MeasureQuery = "measure-query";

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "vm.waitReady",
        Category = CommonInputs.Category,
        Pure = true, // every effect goes through the outbox with the outcome (VmActivity)
        Description = "Waits until every mirror job is READY (its target in sync with the source), with a timeout and a stall detector "
            + "(a mirror whose remaining bytes stop shrinking: fail, or restart it in write-blocking mode).",
        InputRecord = typeof(WaitReadyInputs),
        Outputs =
        [
            CommonInputs.JobsOutput("The jobs, all READY (a job restarted in write-blocking mode has its new id)"),
            new("readyAt", "string", "When the last job became READY (ISO 8601)."),
            new("writeBlocking", "array", "The disks restarted in write-blocking mode because they did not converge."),
        ],
    };

    protected override ActivityOutcome Start(ActivityContext context)
    {
        var with = In<WaitReadyInputs>(context);
        var jobs = JobRef.Distinct(with.Jobs);
        if (jobs.Count == 0) throw new VmInputException("input 'jobs' lists no job");
        var settings = Settings.Of(with, context);
        var now = context.Clock.GetUtcNow();
        var state = new WaitState(context.State)
        {
            Deadline = now + settings.Timeout,
            Jobs = jobs.Select(j => new WatchedJob { Job = j, WatchedSince = now }).ToList(),
        };
        state.Save();
        if (with.Query)
        {
            var query = new QueryVm { CommandId = AssignedByOutbox, HostId = settings.Host, Vm = settings.Vm };
            Send(context, settings.Host, query, InitialQuery, settings.CommandTimeout);
        }
        return Next(context, state, settings);
    }

    protected override ActivityOutcome Resume(ActivityContext context, ActivityStimulus stimulus)
    {
        var pending = PendingCommand.Read(context.State);
        if (pending is not null && !IsStale(pending, stimulus))
        {
            if (stimulus.BookmarkName == ReplyBookmark) return Answered(context, pending, stimulus);
            if (stimulus.BookmarkName == ReplyTimeoutBookmark) return TimedOut(context, pending);
        }

        var settings = Settings.Of(In<WaitReadyInputs>(context), context);
        var state = new WaitState(context.State);
        var now = context.Clock.GetUtcNow();
        var outcome = stimulus.BookmarkName switch
        {
            JobBookmark => OnJobStatus(context, state, settings, stimulus.Payload, now),
            ProgressBookmark => OnProgress(context, state, settings, stimulus.Payload, now),
            VmGoneBookmark => OnVmGone(state, settings, stimulus.Payload),
            StallBookmark => OnStallCheck(context, state, settings),
            _ => null, // the overall timeout (checked in Next), or a stale hit
        };
        return outcome ?? Next(context, state, settings);
    }

    /// <summary>Reply of a query or of a step of a write-blocking restart.</summary>
    private protected override ActivityOutcome OnReply(ActivityContext context, PendingCommand command, HostReply reply)
    {
        var settings = Settings.Of(In<WaitReadyInputs>(context), context);
        var state = new WaitState(context.State);
        var outcome = command.Purpose switch
        {
            InitialQuery or MeasureQuery => OnQueryReply(context, state, settings, command, reply),
            _ => OnRedoReply(context, state, settings, command, reply),
        };
        return outcome ?? Next(context, state, settings);
    }

    private protected override ActivityOutcome OnNoAnswer(ActivityContext context, PendingCommand command) =>
        ActivityOutcome.Fault($"waiting for the mirrors of VM '{In<WaitReadyInputs>(context).Vm}': {NoAnswer(command)}", "NoAnswer");

    /// <summary>
    /// After every stimulus: fault on the deadline, complete when all are READY, start a write-blocking restart
    /// when one is due, else suspend again on everything still awaited.
    /// </summary>
    private static ActivityOutcome Next(ActivityContext context, WaitState state, Settings settings)
    {
        var now = context.Clock.GetUtcNow();
        if (state.Jobs.TrueForAll(j => j.Ready)) return Completed(context, state, settings, now);
        if (now >= state.Deadline) return ActivityOutcome.Fault(NotReadyMessage(state, settings), "Timeout");

        var pending = PendingCommand.Read(context.State);
        var bookmarks = new List<BookmarkRequest>();
        if (pending is not null) bookmarks.AddRange(WaitFor(pending));
        else if (state.Jobs.Exists(j => j.Redo == "due")) bookmarks.AddRange(StartRedo(context, state, settings));

        foreach (var job in state.Jobs.Where(j => j.Redo is null))
        {
            var data = new JsonObject { ["jobId"] = job.Job.JobId };
            bookmarks.Add(new BookmarkRequest(JobBookmark, EventKeys.Job(settings.Host, settings.Vm, job.Job.JobId), Data: data));
            if (!job.Ready)
                bookmarks.Add(new BookmarkRequest(ProgressBookmark, EventKeys.Progress(settings.Host, settings.Vm, job.Job.JobId), Data: (JsonObject)data.DeepClone()));
        }
        bookmarks.Add(new BookmarkRequest(VmGoneBookmark, EventKeys.VmGone(settings.Host, settings.Vm)));
        bookmarks.Add(new BookmarkRequest(TimeoutBookmark, DueAt: state.Deadline));
        if (NextStallCheck(state, settings, now) is { } check && check < state.Deadline)
            bookmarks.Add(new BookmarkRequest(StallBookmark, DueAt: check));
        state.Save();
        return ActivityOutcome.Suspend(bookmarks);
    }

    private static ActivityOutcome Completed(ActivityContext context, WaitState state, Settings settings, DateTimeOffset now)
    {
        var readyAt = state.Jobs.Max(j => j.ReadyAt ?? now);
        var switched = state.Jobs.Where(j => j.ReplacedJobId is not null).Select(j => j.Name).ToList();
        context.Journal("MirrorsReady", $"every mirror of VM '{settings.Vm}' is READY: {string.Join(", ", state.Jobs.Select(j => j.Name))}");
        return ActivityOutcome.Complete(new JsonObject
        {
            ["jobs"] = JobRef.ToJson(state.Jobs.Select(j => j.Job)),
            ["readyAt"] = readyAt.ToString("O"),
            ["writeBlocking"] = Strings(switched),
        });
    }
}
