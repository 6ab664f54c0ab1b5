using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Runtime.Support;

/// <summary>Durations from JSON values (a <see cref="Duration"/> string, or a number of seconds), and their short form.</summary>
internal static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value) => Duration.TryParse(text, out value);

    public static bool TryParse(JsonNode? node, out TimeSpan value)
    {
        value = default;
        if (node is not JsonValue v) return false;
        if (v.TryGetValue(out string? s)) return Duration.TryParse(s, out value);
        if (v.GetValueKind() != System.Text.Json.JsonValueKind.Number) return false;
        var seconds = double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
        if (double.IsNaN(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2) return false;
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    public static string Format(TimeSpan value) => value < TimeSpan.Zero ? "0s" : Duration.Format(value);
}
