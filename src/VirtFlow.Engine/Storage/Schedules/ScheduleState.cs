namespace VirtFlow.Engine.Storage.Schedules;

/// <summary>A schedule paused (with a note: who and why) or resumed; <see cref="ChangedAt"/> is when.</summary>
public sealed record ScheduleState
{
    public required string ScheduleId { get; init; }

    public bool Paused { get; init; }

    public string? Note { get; init; }

    public string? ChangedBy { get; init; }

    public DateTimeOffset ChangedAt { get; init; }
}
