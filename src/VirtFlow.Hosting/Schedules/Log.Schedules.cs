using Microsoft.Extensions.Logging;

namespace VirtFlow.Hosting.Schedules;

/// <summary>The scheduler's log messages (event ids 6000-6099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6000, EventName = "SchedulerStarted", Level = LogLevel.Information, Message = "Scheduler started ({Store}): {Count} schedules")]
    public static partial void SchedulerStarted(ILogger logger, string store, int count);

    [LoggerMessage(EventId = 6001, EventName = "ScheduleRegistered", Level = LogLevel.Information, Message = "Schedule {Schedule}: registered, cron '{Cron}' in {TimeZone}")]
    public static partial void ScheduleRegistered(ILogger logger, string schedule, string cron, string timeZone);

    [LoggerMessage(EventId = 6002, EventName = "ScheduleRemoved", Level = LogLevel.Information, Message = "Schedule {Schedule}: removed (its workflow's published version no longer has it)")]
    public static partial void ScheduleRemoved(ILogger logger, string schedule);

    [LoggerMessage(EventId = 6003, EventName = "ScheduleFired", Level = LogLevel.Information, Message = "Schedule {Schedule}: {Time:O} {Outcome} {Instance} {Detail}")]
    public static partial void ScheduleFired(ILogger logger, string schedule, DateTimeOffset time, string outcome, string? instance, string? detail);

    [LoggerMessage(EventId = 6004, EventName = "ScheduleFiringFailed", Level = LogLevel.Error, Message = "Schedule {Schedule}: the firing at {Time:O} failed: {Reason}")]
    public static partial void ScheduleFiringFailed(ILogger logger, string schedule, DateTimeOffset time, string reason);

    [LoggerMessage(EventId = 6005, EventName = "SchedulePaused", Level = LogLevel.Warning, Message = "Schedule {Schedule}: paused: {Note}")]
    public static partial void SchedulePaused(ILogger logger, string schedule, string note);

    [LoggerMessage(EventId = 6006, EventName = "ScheduleSyncFailed", Level = LogLevel.Error, Message = "Schedules: registering failed: {Reason}")]
    public static partial void ScheduleSyncFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6007, EventName = "ScheduleSweepFailed", Level = LogLevel.Warning, Message = "Schedules: sweep failed: {Reason}")]
    public static partial void ScheduleSweepFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6008, EventName = "SchedulerLeaseLost", Level = LogLevel.Error, Message = "Schedules: the store's scheduler lease is held by {Owner}; this server stops firing schedules")]
    public static partial void SchedulerLeaseLost(ILogger logger, string owner);

    [LoggerMessage(EventId = 6009, EventName = "SchedulerLeaseWait", Level = LogLevel.Warning, Message = "Schedules: the store's scheduler lease is held by {Owner}; waiting {Seconds:0.#} s for it to expire (a server killed a moment ago) before refusing")]
    public static partial void SchedulerLeaseWait(ILogger logger, string owner, double seconds);
}
