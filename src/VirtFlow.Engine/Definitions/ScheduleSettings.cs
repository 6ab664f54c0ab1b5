using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Definitions;

/// <summary>
/// The settings of one <c>schedule</c> trigger, read from its <see cref="TriggerDefinition.Settings"/> with their defaults:
/// <c>timeZone</c> UTC, <c>overlap</c> skip, <c>catchupWindow</c> 1h, <c>jitter</c> none, <c>pauseOnFailure</c> false.
/// </summary>
public sealed record ScheduleSettings
{
    /// <summary>What a firing does while an instance of the same schedule still runs.</summary>
    public static readonly IReadOnlyList<string> OverlapPolicies = ["skip", "bufferOne", "allow", "cancelOther"];

    /// <summary>The default catch-up window: missed firings older than this are skipped (and recorded).</summary>
    public static readonly TimeSpan DefaultCatchupWindow = TimeSpan.FromHours(1);

    /// <summary><c>{workflow}:{id}</c>; the id is the trigger's <c>id</c>, else <c>schedule{n}</c> (n counts the workflow's schedule triggers from 1).</summary>
    public required string ScheduleId { get; init; }

    public required string Workflow { get; init; }

    public required string Cron { get; init; }

    /// <summary>An IANA time zone id; default UTC.</summary>
    public string TimeZone { get; init; } = "UTC";

    public JsonObject Inputs { get; init; } = new();

    public string Overlap { get; init; } = "skip";

    public TimeSpan CatchupWindow { get; init; } = DefaultCatchupWindow;

    public TimeSpan Jitter { get; init; }

    public bool PauseOnFailure { get; init; }

    /// <summary>Whether <paramref name="id"/> names a time zone this machine knows (IANA ids on Linux).</summary>
    public static bool IsTimeZone(string id)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>Every schedule trigger of <paramref name="definition"/> (a valid definition: its fields were checked).</summary>
    public static IReadOnlyList<ScheduleSettings> Of(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var result = new List<ScheduleSettings>();
        var n = 0;
        foreach (var trigger in definition.Triggers)
        {
            if (trigger.Type != "schedule") continue;
            n++;
            var s = trigger.Settings;
            var id = Text(s, "id") ?? $"schedule{n}";
            result.Add(new ScheduleSettings
            {
                ScheduleId = $"{definition.Name}:{id}",
                Workflow = definition.Name,
                Cron = Parsing.CronCheck.ToQuartz(Text(s, "cron") ?? ""),
                TimeZone = Text(s, "timeZone") ?? "UTC",
                Inputs = s["inputs"] as JsonObject is { } inputs ? (JsonObject)inputs.DeepClone() : new JsonObject(),
                Overlap = Text(s, "overlap") ?? "skip",
                CatchupWindow = Duration.TryParse(Text(s, "catchupWindow"), out var w) ? w : DefaultCatchupWindow,
                Jitter = Duration.TryParse(Text(s, "jitter"), out var j) ? j : TimeSpan.Zero,
                PauseOnFailure = s["pauseOnFailure"] is JsonValue v && v.TryGetValue<bool>(out var b) && b,
            });
        }

        return result;
    }

    private static string? Text(JsonObject s, string name) =>
        s[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
