using System.Text.Json;
using VirtFlow.Activities.Vm.Messaging;
using VirtFlow.Contracts;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Activities.Vm.Tests.Support;

/// <summary>When a fake mirror reports READY.</summary>
public enum ReadyWhen
{
    /// <summary>READY events are published before the MirrorDisks reply: before anyone waits for them (kept by the inbox).</summary>
    BeforeReply,

    /// <summary>READY events follow the reply.</summary>
    AfterReply,

    /// <summary>Only when a test says so (<see cref="FakeHost.ReadyAsync"/>).</summary>
    Never,
}

/// <summary>What the fake host answers to one command.</summary>
public sealed record Answer(bool Success, object? Result = null, string? Error = null, string? ErrorClass = null)
{
    public static Answer Ok(object? result = null) => new(true, result);

    public static Answer Fail(string error, string? errorClass = null, object? result = null) => new(false, result, error, errorClass);
}

/// <summary>
/// A scripted host worker behind the engine's in-process outbox transport: it decodes each command with
/// <see cref="HostMessageJson"/>, keeps a small model of the VM's jobs, answers like the real worker (a
/// <see cref="CommandResult"/> published as <c>reply:{commandId}</c>), answers a repeated command id with the
/// same reply (same event id), and publishes job events. Tests override answers per command type.
/// </summary>
public sealed class FakeHost
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CommandResult> _answered = new(StringComparer.Ordinal);
    private int _events;
    private int _leases;

    public FakeHost(ManualClock clock, string hostId = "local", string vm = "web1")
    {
        Clock = clock;
        HostId = hostId;
        Vm = vm;
    }

    public ManualClock Clock { get; }
    public string HostId { get; }
    public string Vm { get; }

    /// <summary>The engine events go to (switch it to simulate a restarted engine).</summary>
    public WorkflowEngine? Engine { get; set; }

    /// <summary>Every command received, duplicates included, in order.</summary>
    public List<HostCommand> Received { get; } = [];

    /// <summary>The VM's jobs as QEMU would have them.</summary>
    public Dictionary<string, FakeJob> Jobs { get; } = new(StringComparer.Ordinal);

    public ReadyWhen Ready { get; set; } = ReadyWhen.BeforeReply;

    /// <summary>Command types received but never answered (a worker that hangs, or none).</summary>
    public HashSet<string> Silent { get; } = new(StringComparer.Ordinal);

    /// <summary>A test's answer for a command, or null for the default behaviour.</summary>
    public Func<HostCommand, Answer?>? Override { get; set; }

    /// <summary>Answer PivotJobs like a worker from before <see cref="PivotJobs.Dismiss"/> (the field unknown: no dismiss in the answer).</summary>
    public bool IgnoresPivotDismiss { get; set; }

    /// <summary>True while the guest is quiesced.</summary>
    public bool Quiesced { get; private set; }

    /// <summary>Disks that moved to their targets (by device).</summary>
    public List<string> Pivoted { get; } = [];

    /// <summary>The message types received, in order (duplicates included).</summary>
    public IReadOnlyList<string> Types
    {
        get
        {
            lock (_gate) return Received.Select(c => c.GetType().Name).ToList();
        }
    }

    /// <summary>
    /// <see cref="Types"/> without the QueryVm: what changes the host, in order. A step's query may go out with a later
    /// command of the same run, or after it (the engine sends what a run committed in the background while it goes on).
    /// </summary>
    public IReadOnlyList<string> Effects => [.. Types.Where(t => t != nameof(QueryVm))];

    public IEnumerable<T> All<T>()
        where T : HostCommand
    {
        lock (_gate) return Received.OfType<T>().ToList();
    }

    /// <summary>The transport handler.</summary>
    public async Task HandleAsync(OutboxMessage message, CancellationToken ct)
    {
        var command = HostMessageJson.FromPayload(message.MessageType, message.Payload, message.Id, message.Destination);
        CommandResult? previous;
        lock (_gate)
        {
            Received.Add(command);
            _answered.TryGetValue(command.CommandId, out previous);
        }
        if (previous is not null)
        {
            await PublishAsync(previous); // a repeated command: the same reply, same event id (the engine drops it)
            return;
        }
        if (Silent.Contains(message.MessageType)) return;

        var before = new List<HostEvent>();
        var after = new List<HostEvent>();
        var answer = Override?.Invoke(command) ?? Default(command, before, after);
        var result = new CommandResult
        {
            EventId = $"{HostId}/result/{command.CommandId}",
            HostId = HostId,
            CommandId = command.CommandId,
            CommandType = message.MessageType,
            Vm = command.Vm,
            Success = answer.Success,
            Error = answer.Error,
            ErrorClass = answer.ErrorClass,
            ResultJson = answer.Result is null ? null : JsonSerializer.Serialize(answer.Result, answer.Result.GetType(), HostResultJson.Options),
            At = Clock.GetUtcNow(),
        };
        lock (_gate) _answered[command.CommandId] = result;
        foreach (var e in before) await PublishAsync(e);
        await PublishAsync(result);
        foreach (var e in after) await PublishAsync(e);
    }

    /// <summary>Publishes a host event into the engine, as the transport bridge does.</summary>
    public Task<bool> PublishAsync(HostEvent hostEvent) =>
        (Engine ?? throw new InvalidOperationException("the fake host has no engine")).PublishEventAsync(HostMessageJson.ToEnvelope(hostEvent));

    /// <summary>A READY event for a job (a new event id each time unless given).</summary>
    public Task<bool> ReadyAsync(string jobId, string? eventId = null)
    {
        var job = Jobs[jobId];
        job.Status = "ready";
        job.Offset = job.Length;
        return PublishAsync(Status(job, "ready", eventId));
    }

    public Task<bool> ProgressAsync(string jobId, long offset, long length)
    {
        var job = Jobs[jobId];
        job.Offset = offset;
        job.Length = length;
        return PublishAsync(new JobProgress { EventId = NextEventId(), HostId = HostId, Vm = Vm, JobId = jobId, Offset = offset, Length = length, At = Clock.GetUtcNow() });
    }

    /// <summary>A job failing as QEMU reports it: <c>aborting</c> first, with no reason, then <c>concluded</c> with QEMU's error.</summary>
    public async Task<bool> FailJobAsync(string jobId, string error)
    {
        var job = Jobs[jobId];
        job.Status = "aborting";
        await PublishAsync(Status(job, "aborting"));
        job.Status = "concluded";
        job.Error = error;
        return await PublishAsync(Status(job, "concluded", outcome: "failed", error: error));
    }

    public string JobOf(string device) => Jobs.Values.Last(j => j.Device == device).JobId;

    /// <summary>A job status event; its id names the fact (<c>{host}/{vm}/job/{jobId}/{status}</c>), as the worker's does.</summary>
    private JobStatusChanged Status(FakeJob job, string status, string? eventId = null, string? outcome = null, string? error = null) => new()
    {
        EventId = eventId ?? $"{HostId}/{Vm}/job/{job.JobId}/{status}",
        HostId = HostId,
        Vm = Vm,
        JobId = job.JobId,
        Status = status,
        Outcome = outcome,
        Error = error,
        Offset = job.Offset,
        Length = job.Length,
        At = Clock.GetUtcNow(),
    };

    private string NextEventId() => $"{HostId}-ev-{Interlocked.Increment(ref _events)}";

    private Answer Default(HostCommand command, List<HostEvent> before, List<HostEvent> after)
    {
        switch (command)
        {
            case MirrorDisks m:
                var started = new List<MirroredDisk>();
                foreach (var d in m.Disks)
                {
                    var existing = Jobs.TryGetValue(d.JobId, out var job);
                    if (job is null)
                    {
                        job = new FakeJob(d.JobId, d.Device, d.TargetPath, d.Format, d.CopyMode, d.Reuse) { Length = 1 << 30 };
                        Jobs[d.JobId] = job;
                    }
                    started.Add(new MirroredDisk(d.Device, $"src-{d.Device}", $"tgt-{d.JobId}", d.JobId, d.TargetPath, d.Format, Created: !d.Reuse, Existing: existing, job.Status));
                    var events = Ready switch { ReadyWhen.BeforeReply => before, ReadyWhen.AfterReply => after, _ => null };
                    if (events is null) continue;
                    events.Add(Status(job, "running"));
                    job.Status = "ready";
                    job.Offset = job.Length;
                    events.Add(Status(job, "ready"));
                }
                return Answer.Ok(new MirrorDisksResult(started));

            case QueryVm:
                return Answer.Ok(new QueryVmResult(
                    "running",
                    true,
                    [.. Jobs.Values.Select(j => new BlockDeviceSnapshot(j.Device, $"src-{j.Device}", null))],
                    [.. Jobs.Values.Select(j => new JobSnapshot(j.JobId, "mirror", j.Status, j.Offset, j.Length, j.Error))],
                    Quiesced ? $"lease-{_leases}" : null));

            case QuiesceVm q:
                Quiesced = q.Mode != QuiesceModes.None;
                return Answer.Ok(new QuiesceResult($"lease-{++_leases}", q.Mode == QuiesceModes.Auto ? QuiesceModes.FsFreeze : q.Mode, 2, false, Clock.GetUtcNow() + (q.Lease ?? TimeSpan.FromSeconds(60))));

            case UnquiesceVm u:
                var released = Quiesced;
                Quiesced = false;
                return Answer.Ok(new UnquiesceResult(u.LeaseId ?? $"lease-{_leases}", released, released ? QuiesceModes.FsFreeze : null, released ? 2 : 0, false, "running"));

            case PivotJobs p:
                var notReady = p.JobIds.Select(id => Jobs.GetValueOrDefault(id)).FirstOrDefault(j => j is null || j.Status != "ready");
                if (notReady is not null) return Answer.Fail($"job {notReady.JobId} of {notReady.Device} on VM '{Vm}' is not ready", HostErrorClasses.JobNotReady);
                var heldAt = Clock.GetUtcNow();
                Clock.Advance(TimeSpan.FromMilliseconds(6)); // the switch takes a moment of the guest's time
                foreach (var id in p.JobIds)
                {
                    Jobs[id].Status = "concluded";
                    Jobs[id].Outcome = JobOutcomes.Completed;
                    Pivoted.Add(Jobs[id].Device);
                }
                // Like the worker: a quiesce asked for is held for the switch only, and released before the answer.
                var method = p.Quiesce == QuiesceModes.Auto ? QuiesceModes.FsFreeze : p.Quiesce;
                var held = method is null ? null : new PivotQuiesce(method, method == QuiesceModes.None ? null : $"lease-{++_leases}", false,
                    method == QuiesceModes.FsFreeze ? 2 : 0, method == QuiesceModes.FsFreeze ? 2 : 0, method == QuiesceModes.Pause, true, heldAt, Clock.GetUtcNow(), 6);
                var pivoted = new PivotJobsResult([.. p.JobIds.Select(id => new PivotedJob(id, Jobs[id].Device, $"tgt-{id}", false))], 3.5, 2, 5.5, held);
                if (!p.Dismiss || IgnoresPivotDismiss) return Answer.Ok(pivoted);
                // Like the worker: the dismiss rides on the pivot, after the switch.
                var gone = p.JobIds.Select(id => new JobState(id, "null", Jobs[id].Outcome, null, Acted: Jobs.Remove(id))).ToList();
                return Answer.Ok(pivoted with { Dismissed = new DismissJobsResult(gone, [.. p.Nodes], []) });

            case CancelJobs c:
                var states = new List<JobState>();
                foreach (var id in c.JobIds)
                {
                    if (!Jobs.TryGetValue(id, out var job))
                    {
                        states.Add(new JobState(id, "null", null, null, Acted: false));
                        continue;
                    }
                    var acted = job.Status != "concluded";
                    job.Status = "concluded";
                    job.Outcome ??= job.Offset == job.Length && !c.Force ? JobOutcomes.Completed : JobOutcomes.Cancelled;
                    states.Add(new JobState(id, job.Status, job.Outcome, job.Error, acted));
                }
                return Answer.Ok(new JobsResult(states));

            case DismissJobs d:
                var dismissed = new List<JobState>();
                foreach (var id in d.JobIds)
                {
                    dismissed.Add(new JobState(id, "null", Jobs.GetValueOrDefault(id)?.Outcome, null, Acted: Jobs.Remove(id)));
                }
                return Answer.Ok(new DismissJobsResult(dismissed, [.. d.Nodes], []));

            case PauseVm:
                return Answer.Ok(new VmRunStateResult("paused", false));

            case ResumeVm:
                return Answer.Ok(new VmRunStateResult("running", true));

            default:
                return Answer.Ok();
        }
    }
}

/// <summary>One job of the fake VM.</summary>
public sealed class FakeJob(string jobId, string device, string target, string format, string copyMode, bool reuse)
{
    public string JobId { get; } = jobId;
    public string Device { get; } = device;
    public string Target { get; } = target;
    public string Format { get; } = format;
    public string CopyMode { get; } = copyMode;
    public bool Reuse { get; } = reuse;
    public string Status { get; set; } = "running";
    public long Offset { get; set; }
    public long Length { get; set; }
    public string? Error { get; set; }
    public string? Outcome { get; set; }
}
