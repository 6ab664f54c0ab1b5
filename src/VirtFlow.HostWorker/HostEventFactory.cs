using System.Globalization;
using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// Builds the worker's events with their host, time and id. Ids name the fact, so a fact reported again
/// (after a reconnect or restart) has the same id and the engine drops it as a duplicate.
/// </summary>
internal sealed class HostEventFactory(string hostId, TimeProvider time)
{
    public string HostId => hostId;

    /// <summary>
    /// A job's status. <paramref name="at"/> is when QEMU says it happened (its event's timestamp); without it (a status
    /// read from <c>query-jobs</c>) the worker's clock now. The time of the fact, not of its forwarding: a forwarder
    /// that reads late (a busy machine, a broker outage) does not move it.
    /// </summary>
    public JobStatusChanged JobStatus(string vm, string jobId, string status, string? type, string? outcome, string? error, long offset, long length,
        DateTimeOffset? at = null) => new()
    {
        EventId = $"{hostId}/{vm}/job/{jobId}/{status}",
        HostId = hostId,
        At = at is { } t && t > DateTimeOffset.UnixEpoch ? t : time.GetUtcNow(),
        Vm = vm,
        JobId = jobId,
        Status = status,
        JobType = type,
        Outcome = outcome,
        Error = error,
        Offset = offset,
        Length = length,
    };

    public JobProgress Progress(string vm, JobInfo job, long speed) => new()
    {
        EventId = string.Create(CultureInfo.InvariantCulture, $"{hostId}/{vm}/job/{job.Id}/progress/{job.Status}/{job.CurrentProgress}/{job.TotalProgress}"),
        HostId = hostId,
        At = time.GetUtcNow(),
        Vm = vm,
        JobId = job.Id,
        Status = job.Status,
        Offset = job.CurrentProgress,
        Length = job.TotalProgress,
        Speed = speed,
    };

    public CommandResult Result(HostCommand command, bool success, string? errorClass, string? error, string? resultJson) => new()
    {
        EventId = $"{hostId}/result/{command.CommandId}",
        HostId = hostId,
        At = time.GetUtcNow(),
        CommandId = command.CommandId,
        CommandType = command.GetType().Name,
        Vm = command.Vm,
        Success = success,
        ErrorClass = errorClass,
        Error = error,
        ResultJson = resultJson,
    };

    public VmGone Gone(string vm, string? reason) => new()
    {
        EventId = $"{hostId}/{vm}/gone/{Guid.NewGuid():N}",
        HostId = hostId,
        At = time.GetUtcNow(),
        Vm = vm,
        Reason = reason,
    };

    public VmJobsSnapshot Snapshot(string vm, IReadOnlyList<JobSnapshot> jobs, string? runState, IReadOnlyList<BlockDeviceSnapshot> devices) => new()
    {
        EventId = $"{hostId}/{vm}/snapshot/{Guid.NewGuid():N}",
        HostId = hostId,
        At = time.GetUtcNow(),
        Vm = vm,
        Jobs = jobs,
        RunState = runState,
        Devices = devices,
    };

    public QuiesceLeaseExpired LeaseExpired(string vm, string leaseId, string method, bool released, int thawed, string? freezeStatus, bool resumed, string? error) => new()
    {
        EventId = $"{hostId}/{vm}/lease/{leaseId}/expired",
        HostId = hostId,
        At = time.GetUtcNow(),
        Vm = vm,
        LeaseId = leaseId,
        Method = method,
        Released = released,
        ThawedFilesystems = thawed,
        FreezeStatus = freezeStatus,
        Resumed = resumed,
        Error = error,
    };

    public WorkerOnline Online(string workerId, string version, IReadOnlyList<string> vms) => new()
    {
        EventId = $"{hostId}/worker/{workerId}/online",
        HostId = hostId,
        At = time.GetUtcNow(),
        WorkerId = workerId,
        Version = version,
        Vms = vms,
    };

    /// <summary>The <paramref name="sequence"/>th heartbeat of worker <paramref name="workerId"/>.</summary>
    public WorkerHeartbeat Heartbeat(string workerId, string version, long sequence, IReadOnlyList<WorkerVm> vms) => new()
    {
        EventId = string.Create(CultureInfo.InvariantCulture, $"{hostId}/worker/{workerId}/heartbeat/{sequence}"),
        HostId = hostId,
        At = time.GetUtcNow(),
        WorkerId = workerId,
        Version = version,
        Vms = vms,
    };

    public WorkerOffline Offline(string workerId) => new()
    {
        EventId = $"{hostId}/worker/{workerId}/offline",
        HostId = hostId,
        At = time.GetUtcNow(),
        WorkerId = workerId,
    };
}
