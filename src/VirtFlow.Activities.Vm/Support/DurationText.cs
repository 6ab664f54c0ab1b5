using System.Text.Json.Nodes;

namespace VirtFlow.Activities.Vm.Support;

/// <summary>Durations in messages, written the way workflow files write them.</summary>
internal static class DurationText
{
    /// <summary>A duration in short form (<c>2m</c>, <c>1h30m</c>).</summary>
    public static string Format(TimeSpan value) => value <= TimeSpan.Zero ? "0s" : Engine.Definitions.Duration.Format(value);

    /// <summary>A duration as the workflow wrote it (<c>60s</c> stays <c>60s</c>), else in short form.</summary>
    public static string AsWritten(JsonNode? written, TimeSpan value) =>
        written is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s.Trim() : Format(value);
}
