using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>FinalizeJobs: <c>job-finalize</c> each pending job and wait until it is concluded (the switch alone).</summary>
internal sealed class FinalizeJobsHandler(WorkerContext context) : HostCommandHandler<FinalizeJobs, JobsResult>
{
    private static readonly JobStep Step = new(nameof(FinalizeJobs),
        act: JobStatus.Pending,
        pastIt: JobStates.IsOver,
        reached: JobStates.IsOver,
        (client, id, ct) => client.JobFinalizeAsync(id, null, ct));

    protected override Task<JobsResult?> HandleAsync(VmSession session, FinalizeJobs command, CancellationToken ct) =>
        Step.RunAsync(context, session, command.JobIds, command.Timeout, ct);
}
