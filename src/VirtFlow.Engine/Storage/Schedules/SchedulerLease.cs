namespace VirtFlow.Engine.Storage.Schedules;

/// <summary>Who runs the schedules of a store that allows one scheduler (SQLite), and until when unless renewed.</summary>
public sealed record SchedulerLease(string Owner, DateTimeOffset Until);
