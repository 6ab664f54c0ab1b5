namespace VirtFlow.Contracts;

/// <summary>
/// <c>job-dismiss</c> concluded jobs (after their outcome is stored), then <c>blockdev-del</c> the nodes they
/// leave unused: the old sources after a pivot, the targets after a cancel. Only nodes that no device uses are
/// removed. An image file is deleted only when the worker created it for that job (it did not exist before the mirror)
/// and no device uses it, and only for a job that failed or was force-cancelled (a partial copy) or with
/// <see cref="DeleteTargets"/>. Success carries a <see cref="DismissJobsResult"/>.
/// </summary>
public sealed record DismissJobs : HostCommand
{
    public required IReadOnlyList<string> JobIds { get; init; }

    /// <summary>
    /// Extra node names to remove when unused, typically <c>sourceNode</c>/<c>targetNode</c> of the
    /// <see cref="MirrorDisksResult"/>: a worker restarted since the mirror no longer knows the old sources.
    /// </summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>
    /// Also delete the target images the worker created for these jobs when no device uses them, even a complete copy
    /// (a soft-cancelled READY mirror): the rollback of a workflow. Files the worker did not create are never deleted.
    /// </summary>
    public bool DeleteTargets { get; init; }
}
