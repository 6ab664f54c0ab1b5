using System.Globalization;
using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Support;

namespace VirtFlow.Activities.Vm.WaitReady;

/// <summary>One job vm.waitReady watches, as kept in its state between resumes.</summary>
internal sealed class WatchedJob
{
    public required JobRef Job { get; set; }

    public bool Ready { get; set; }
    public DateTimeOffset? ReadyAt { get; set; }

    /// <summary>The last progress seen (bytes); <see cref="Length"/> 0 when unknown.</summary>
    public long Offset { get; set; }
    public long Length { get; set; }

    /// <summary>The fewest bytes left seen so far, and when that minimum was reached (the stall detector's reference).</summary>
    public long? MinRemaining { get; set; }
    public DateTimeOffset? MinAt { get; set; }

    /// <summary>Since when the job is watched (start, or its restart in write-blocking mode): the stall window's start while no progress is known.</summary>
    public DateTimeOffset WatchedSince { get; set; }

    /// <summary>Stalled in background mode, to be restarted in write-blocking mode: <c>due</c>, <c>cancel</c>, <c>dismiss</c>, <c>mirror</c>; null otherwise.</summary>
    public string? Redo { get; set; }

    /// <summary>The job this one replaced (a stalled background mirror).</summary>
    public string? ReplacedJobId { get; set; }

    public string Name => Job.Name;

    public long Remaining => Math.Max(0, Length - Offset);

    /// <summary>Percent copied, floored; null when the length is unknown.</summary>
    public int? Percent => Length > 0 ? (int)Math.Min(100, Offset * 100 / Length) : null;

    /// <summary>Records a progress measurement; true when it is new information.</summary>
    public bool Measure(long offset, long length, DateTimeOffset at)
    {
        if (length <= 0) return false;
        Offset = offset;
        Length = length;
        if (MinRemaining is null || Remaining < MinRemaining)
        {
            MinRemaining = Remaining;
            MinAt = at;
        }
        return true;
    }

    public JsonObject ToJson()
    {
        var o = Job.ToJson();
        o["ready"] = Ready;
        o["readyAt"] = ReadyAt?.ToString("O");
        o["offset"] = Offset;
        o["length"] = Length;
        o["minRemaining"] = MinRemaining;
        o["minAt"] = MinAt?.ToString("O");
        o["watchedSince"] = WatchedSince.ToString("O");
        o["redo"] = Redo;
        o["replacedJobId"] = ReplacedJobId;
        return o;
    }

    public static WatchedJob FromJson(JsonObject o) => new()
    {
        Job = JobRef.OneFromState(o),
        Ready = o["ready"]?.GetValue<bool>() ?? false,
        ReadyAt = Time(o["readyAt"]),
        Offset = JsonNumber.Long(o["offset"]) ?? 0,
        Length = JsonNumber.Long(o["length"]) ?? 0,
        MinRemaining = JsonNumber.Long(o["minRemaining"]),
        MinAt = Time(o["minAt"]),
        WatchedSince = Time(o["watchedSince"]) ?? DateTimeOffset.MinValue,
        Redo = o["redo"]?.GetValue<string>(),
        ReplacedJobId = o["replacedJobId"]?.GetValue<string>(),
    };

    public static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out string? s) ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;
}
