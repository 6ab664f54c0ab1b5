namespace VirtFlow.Contracts;

/// <summary>
/// <c>job-dismiss</c> concluded jobs (after their outcome is stored), then <c>blockdev-del</c> the nodes they
/// leave unused: the old sources after a pivot, the targets after a cancel. Only nodes that no device uses are
/// removed; image files are never deleted. Success carries a <see cref="DismissJobsResult"/>.
/// </summary>
public sealed record DismissJobs : HostCommand
{
    public required IReadOnlyList<string> JobIds { get; init; }

    /// <summary>
    /// Extra node names to remove when unused, typically <c>sourceNode</c>/<c>targetNode</c> of the
    /// <see cref="MirrorDisksResult"/>: a worker restarted since the mirror no longer knows the old sources.
    /// </summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];
}
