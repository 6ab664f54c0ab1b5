using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>The last progress report of each step, per disk (its <c>device</c>), from the instance's <c>Progress</c> journal lines.</summary>
internal static class StepProgress
{
    public static Dictionary<string, IReadOnlyList<JsonObject>> Latest(IReadOnlyList<JournalEntry> journal)
    {
        var byStep = new Dictionary<string, Dictionary<string, JsonObject>>(StringComparer.Ordinal);
        foreach (var line in journal)
        {
            if (line.Kind != "Progress" || line.StepPath is null || line.Data is not JsonObject data) continue;
            if (!byStep.TryGetValue(line.StepPath, out var disks)) byStep[line.StepPath] = disks = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            var report = (JsonObject)data.DeepClone();
            report["at"] = line.At;
            if (report["offset"] is JsonValue o && report["length"] is JsonValue l && o.TryGetValue<long>(out var offset)
                && l.TryGetValue<long>(out var length) && length > 0)
                report["percent"] = Math.Round(100.0 * offset / length, 1);
            disks[data["device"]?.ToString() ?? ""] = report;
        }
        return byStep.ToDictionary(p => p.Key, p => (IReadOnlyList<JsonObject>)[.. p.Value.Values], StringComparer.Ordinal);
    }
}
