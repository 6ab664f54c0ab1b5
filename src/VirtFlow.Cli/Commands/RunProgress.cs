using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime.Events;

namespace VirtFlow.Cli.Commands;

/// <summary>What a progress event says: which disk (or step), how far.</summary>
internal readonly record struct RunProgress(string Label, long Offset, long Length)
{
    /// <summary>0 to 100, or null when the length is not known yet.</summary>
    public int? Percent => Length > 0 ? (int)Math.Clamp(Offset * 100 / Length, 0, 100) : null;

    /// <summary>Reads <c>{device, offset, length}</c> (as the VM activities report it; <c>vm</c> and other names accepted).</summary>
    public static RunProgress From(ProgressReported e)
    {
        var data = e.Data;
        var label = Text(data, "device") ?? Text(data, "disk") ?? Text(data, "jobId") ?? e.StepId;
        if (Text(data, "vm") is { } vm && data["device"] is not null) label = $"{vm}/{label}";
        return new RunProgress(label, Number(data, "offset") ?? Number(data, "current") ?? 0, Number(data, "length") ?? Number(data, "total") ?? 0);
    }

    private static string? Text(JsonObject data, string name) =>
        data[name] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : null;

    private static long? Number(JsonObject data, string name)
    {
        if (data[name] is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.Number) return null;
        var text = v.ToJsonString();
        if (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var l)) return l;
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? (long)d : null;
    }
}
