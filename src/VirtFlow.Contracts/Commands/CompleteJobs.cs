namespace VirtFlow.Contracts;

/// <summary>
/// <c>job-complete</c> for each job (ready → pending), then waits until each is pending (or ended).
/// A job already past ready is reported as found. Success carries a <see cref="JobsResult"/>.
/// </summary>
public sealed record CompleteJobs : HostCommand
{
    public required IReadOnlyList<string> JobIds { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
