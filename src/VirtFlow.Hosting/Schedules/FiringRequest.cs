namespace VirtFlow.Hosting.Schedules;

/// <summary>
/// How a firing came: from the cron (<c>cron</c>: catch-up window, pause, pause on failure and jitter apply), from an
/// operator's trigger now (<c>trigger</c>) or a backfill (<c>backfill</c>: its own overlap policy). Those two run even while
/// the schedule is paused, without jitter and without a catch-up window.
/// </summary>
public sealed record FiringRequest(string Source, string? Overlap = null)
{
    public static readonly FiringRequest Cron = new("cron");

    public bool IsCron => Source == "cron";
}
