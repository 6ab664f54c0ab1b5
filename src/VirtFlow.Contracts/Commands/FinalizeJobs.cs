namespace VirtFlow.Contracts;

/// <summary>
/// <c>job-finalize</c> for each pending job (pending → concluded: a completed mirror switches here), then waits
/// until each is concluded. A job already concluded is reported as found. Success carries a <see cref="JobsResult"/>.
/// </summary>
public sealed record FinalizeJobs : HostCommand
{
    public required IReadOnlyList<string> JobIds { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
