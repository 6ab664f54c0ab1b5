using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>CompleteJobs: <c>job-complete</c> each READY job and wait until it is pending (the pivot's first step alone).</summary>
internal sealed class CompleteJobsHandler(WorkerContext context) : HostCommandHandler<CompleteJobs, JobsResult>
{
    private static readonly JobStep Step = new(nameof(CompleteJobs),
        act: JobStatus.Ready,
        pastIt: s => s is JobStatus.Waiting or JobStatus.Pending || JobStates.IsOver(s),
        reached: s => s == JobStatus.Pending || JobStates.IsOver(s), // through aborting to concluded: the error comes with it
        (client, id, ct) => client.JobCompleteAsync(id, null, ct));

    protected override Task<JobsResult?> HandleAsync(VmSession session, CompleteJobs command, CancellationToken ct) =>
        Step.RunAsync(context, session, command.JobIds, command.Timeout, ct);
}
