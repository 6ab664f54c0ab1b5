namespace VirtFlow.Engine.Storage.Schedules;

/// <summary>
/// What one scheduled time of one schedule did: <see cref="Outcome"/> is <c>started</c> (with <see cref="InstanceId"/>),
/// <c>buffered</c> (to start when the running instance ends), or <c>skipped</c> with <see cref="Detail"/> saying why
/// (overlap, paused, missed beyond the catch-up window, the start refused).
/// </summary>
public sealed record ScheduleFiring
{
    public const string Started = "started";
    public const string Buffered = "buffered";
    public const string Skipped = "skipped";

    public required string ScheduleId { get; init; }

    /// <summary>The time the cron gave (whole milliseconds, UTC), not when it ran.</summary>
    public required DateTimeOffset ScheduledTime { get; init; }

    public required string Outcome { get; init; }

    public string? InstanceId { get; init; }

    public string? Detail { get; init; }

    /// <summary>How it came: <c>cron</c>, <c>trigger</c> (trigger now), <c>backfill</c>.</summary>
    public string Source { get; init; } = "cron";

    /// <summary>The node (engine id) that recorded it.</summary>
    public string? RecordedBy { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
}
