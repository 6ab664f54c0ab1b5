namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="DismissJobs"/>.</summary>
/// <param name="Jobs">Each job as found (<c>Acted</c> false when it was already gone).</param>
/// <param name="RemovedNodes">Nodes removed with <c>blockdev-del</c>.</param>
/// <param name="KeptNodes">Candidate nodes left in place, with why (in use by a device, refused by QEMU).</param>
public sealed record DismissJobsResult(IReadOnlyList<JobState> Jobs, IReadOnlyList<string> RemovedNodes, IReadOnlyList<KeptNode> KeptNodes)
{
    /// <summary>Target images deleted: created by the worker for these jobs, unused, and partial or asked for (<see cref="DismissJobs.DeleteTargets"/>).</summary>
    public IReadOnlyList<string> DeletedFiles { get; init; } = [];
}

/// <summary>A node <see cref="DismissJobs"/> did not remove.</summary>
public sealed record KeptNode(string Node, string Reason);
