namespace VirtFlow.Hosting.Schedules;

/// <summary>The scheduler cannot start on this store (a second server with schedules on one SQLite file); the message is one line naming why.</summary>
public sealed class SchedulerRefusedException(string message) : Exception(message);
