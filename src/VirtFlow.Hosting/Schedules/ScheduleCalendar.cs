using Quartz;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Hosting.Schedules;

/// <summary>
/// When a schedule fires: Quartz's cron in the schedule's time zone (the same <see cref="CronExpression"/> its trigger uses).
/// Daylight saving time: a wall-clock time that does not exist that day (02:30 in Europe/Berlin on the spring change day)
/// does not fire that day; one that exists twice (02:30 on the autumn change day) fires once, at its first occurrence.
/// </summary>
public static class ScheduleCalendar
{
    /// <summary>The cron of <paramref name="schedule"/> in its time zone.</summary>
    public static CronExpression Cron(ScheduleSettings schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new CronExpression(schedule.Cron, TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone));
    }

    /// <summary>The next firing strictly after <paramref name="after"/>, or null when the cron never fires again.</summary>
    public static DateTimeOffset? Next(ScheduleSettings schedule, DateTimeOffset after) => Cron(schedule).GetNextValidTimeAfter(after);

    /// <summary>Every firing in [<paramref name="from"/>, <paramref name="to"/>), at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> Between(ScheduleSettings schedule, DateTimeOffset from, DateTimeOffset to, int max)
    {
        var cron = Cron(schedule);
        var result = new List<DateTimeOffset>();
        var at = cron.GetNextValidTimeAfter(from.AddMilliseconds(-1));
        while (at is { } t && t < to && result.Count < max)
        {
            result.Add(t);
            at = cron.GetNextValidTimeAfter(t);
        }

        return result;
    }
}
