namespace VirtFlow.Contracts;

/// <summary>
/// An event from a host worker. <see cref="EventId"/> identifies the fact, not the message: a worker that reports
/// the same fact again (after a reconnect or a restart) uses the same id, so the engine drops the duplicate.
/// </summary>
public abstract record HostEvent
{
    public required string EventId { get; init; }
    public required string HostId { get; init; }
    public DateTimeOffset At { get; init; }
}
