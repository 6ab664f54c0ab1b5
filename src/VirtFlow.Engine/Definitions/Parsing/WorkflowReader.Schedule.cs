using YamlDotNet.RepresentationModel;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>The fields of a <c>schedule</c> trigger beyond its cron: id, time zone, overlap, catch-up, jitter, pause on failure.</summary>
internal sealed partial class WorkflowReader
{
    private static string[] ScheduleFields =>
        ["type", "id", "cron", "timeZone", "inputs", "overlap", "catchupWindow", "jitter", "pauseOnFailure", "description"];

    private void CheckSchedule(Dictionary<string, Field> f)
    {
        if (f.TryGetValue("id", out var id) && ReadString(id.Value, "'id' of a schedule") is { } name && !Patterns.Identifier().IsMatch(name.Replace('-', '_')))
            Error(id.Value, $"invalid schedule id '{name}': use letters, digits, '_' and '-'");
        if (f.TryGetValue("timeZone", out var tz) && ReadString(tz.Value, "'timeZone'") is { } zone && !ScheduleSettings.IsTimeZone(zone))
            Error(tz.Value, $"unknown time zone '{zone}': use an IANA name such as Europe/Berlin or UTC");
        if (f.TryGetValue("overlap", out var overlap) && ReadString(overlap.Value, "'overlap'") is { } policy && !ScheduleSettings.OverlapPolicies.Contains(policy))
            Error(overlap.Value, $"unknown overlap policy '{policy}'{Suggestions.DidYouMean(policy, ScheduleSettings.OverlapPolicies)} (policies: {string.Join(", ", ScheduleSettings.OverlapPolicies)})");
        foreach (var duration in (string[])["catchupWindow", "jitter"])
        {
            if (f.TryGetValue(duration, out var d) && ReadString(d.Value, $"'{duration}'") is { } text && !Duration.TryParse(text, out _))
                Error(d.Value, $"invalid duration '{text}' for '{duration}': {Duration.Hint}");
        }

        if (f.TryGetValue("pauseOnFailure", out var pause))
            ReadBool(pause.Value, "'pauseOnFailure'");
    }
}
