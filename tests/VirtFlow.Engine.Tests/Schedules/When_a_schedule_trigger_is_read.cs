using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Tests.Definitions;

namespace VirtFlow.Engine.Tests.Schedules;

/// <summary>The schedule trigger's fields: their defaults, and each wrong value as a diagnostic at its line and column.</summary>
public sealed class When_a_schedule_trigger_is_read
{
    [Fact]
    public void Its_settings_have_the_documented_defaults_and_the_id_names_the_workflow()
    {
        var parsed = WorkflowParser.Parse("""
            name: nightly
            triggers:
              - type: schedule
                cron: "0 0 2 * * ?"
              - type: schedule
                id: weekly
                cron: "0 0 3 ? * SUN"
                timeZone: Europe/Berlin
                overlap: cancelOther
                catchupWindow: 2h
                jitter: 30s
                pauseOnFailure: true
                inputs: { keep: 3 }
            steps:
              - type: log
                with: { message: x }
            """, "nightly.yaml");

        var schedules = ScheduleSettings.Of(parsed.Definition!);

        Assert.Equal(("nightly:schedule1", "UTC", "skip", TimeSpan.FromHours(1), TimeSpan.Zero, false),
            (schedules[0].ScheduleId, schedules[0].TimeZone, schedules[0].Overlap, schedules[0].CatchupWindow, schedules[0].Jitter, schedules[0].PauseOnFailure));
        Assert.Equal(("nightly:weekly", "Europe/Berlin", "cancelOther", TimeSpan.FromHours(2), TimeSpan.FromSeconds(30), true),
            (schedules[1].ScheduleId, schedules[1].TimeZone, schedules[1].Overlap, schedules[1].CatchupWindow, schedules[1].Jitter, schedules[1].PauseOnFailure));
        Assert.Equal(3L, schedules[1].Inputs["keep"]!.GetValue<long>());
    }

    [Fact]
    public void A_wrong_time_zone_overlap_duration_or_flag_is_an_error_at_its_place()
    {
        var diagnostics = WorkflowValidator.Validate(WorkflowParser.Parse("""
            name: bad
            triggers:
              - type: schedule
                cron: "0 0 2 * * ?"
                timeZone: Mars/Olympus
                overlap: skipp
                catchupWindow: soon
                jitter: -1
                pauseOnFailure: maybe
                retries: 3
            steps: []
            """, "bad.yaml"), TestCatalog.Instance);

        Assert.Contains(diagnostics, d => d.Message.StartsWith("unknown time zone 'Mars/Olympus'", StringComparison.Ordinal) && d.Location.Line == 5);
        Assert.Contains(diagnostics, d => d.Message.StartsWith("unknown overlap policy 'skipp'", StringComparison.Ordinal) && d.Message.Contains("skip", StringComparison.Ordinal) && d.Location.Line == 6);
        Assert.Contains(diagnostics, d => d.Message.StartsWith("invalid duration 'soon' for 'catchupWindow'", StringComparison.Ordinal) && d.Location.Line == 7);
        Assert.Contains(diagnostics, d => d.Message.StartsWith("invalid duration '-1' for 'jitter'", StringComparison.Ordinal) && d.Location.Line == 8);
        Assert.Contains(diagnostics, d => d.Message.Contains("'pauseOnFailure' must be true or false", StringComparison.Ordinal) && d.Location.Line == 9);
        Assert.Contains(diagnostics, d => d.Message.Contains("retries", StringComparison.Ordinal) && d.Location.Line == 10);
    }

    [Theory]
    [InlineData("0 2 * * *", "0 0 2 * * ?")]
    [InlineData("30 2 * * MON-FRI", "0 30 2 ? * MON-FRI")]
    [InlineData("*/15 * 1 * *", "0 */15 * 1 * ?")]
    [InlineData("0 0 2 * * ?", "0 0 2 * * ?")]
    public void A_five_field_cron_runs_as_its_quartz_form(string cron, string quartz)
    {
        var parsed = WorkflowParser.Parse($"name: n\ntriggers:\n  - type: schedule\n    cron: \"{cron}\"\nsteps:\n  - type: log\n    with: {{ message: x }}\n", "n.yaml");

        Assert.DoesNotContain(WorkflowValidator.Validate(parsed, TestCatalog.Instance), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(quartz, ScheduleSettings.Of(parsed.Definition!)[0].Cron);
    }

    [Theory]
    [InlineData("0 2 * * 1-5", "ambiguous")]
    [InlineData("0 2 1 * MON", "no Quartz form")]
    [InlineData("0 2 * *", "has 4 fields")]
    public void A_five_field_cron_that_would_need_a_guess_is_an_error_that_says_why(string cron, string why)
    {
        var diagnostics = WorkflowValidator.Validate(WorkflowParser.Parse(
            $"name: n\ntriggers:\n  - type: schedule\n    cron: \"{cron}\"\nsteps:\n  - type: log\n    with: {{ message: x }}\n", "n.yaml"), TestCatalog.Instance);

        Assert.Contains(diagnostics, d => d.Message.Contains(why, StringComparison.Ordinal) && d.Location.Line == 4);
    }
}
