namespace VirtFlow.Api.Tests.Schedules;

/// <summary>The workflows of the schedule tests.</summary>
public static class ScheduleWorkflows
{
    /// <summary>Every 2 s, a quick step.</summary>
    public static readonly (string, string) Tick = ("tick.yaml", """
        name: tick
        version: 1
        inputs:
          who: { type: string }
        triggers:
          - type: schedule
            cron: "0/2 * * * * ?"
            inputs: { who: cron }
        steps:
          - type: log
            with: { message: "tick ${ inputs.who }" }
        """);

    /// <summary>Every day at 02:30 Berlin time (fired by backfill only in the tests: the calendar is the cron's).</summary>
    public static readonly (string, string) Berlin = ("berlin.yaml", """
        name: berlin
        version: 1
        triggers:
          - type: schedule
            id: nightly
            cron: "0 30 2 * * ?"
            timeZone: Europe/Berlin
            overlap: allow
        steps:
          - type: log
            with: { message: nightly }
        """);

    /// <summary>Every second, a step of 6 s: overlap skip.</summary>
    public static readonly (string, string) Slow = ("slow.yaml", """
        name: slow
        version: 1
        triggers:
          - type: schedule
            cron: "* * * * * ?"
        steps:
          - type: delay
            with: { duration: 6s }
        """);
}
