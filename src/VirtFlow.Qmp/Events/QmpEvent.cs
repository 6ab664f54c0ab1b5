using System.Text.Json;

namespace VirtFlow.Qmp;

/// <summary>An asynchronous QMP event, e.g. <c>BLOCK_JOB_READY</c> or <c>JOB_STATUS_CHANGE</c>.</summary>
/// <param name="Name">The event name, as QEMU sends it (upper case).</param>
/// <param name="Data">The event's <c>data</c> member (an immutable element), or <c>default</c> (Undefined) when it had none.</param>
/// <param name="Timestamp">QEMU's own timestamp of the event (host wall clock, microsecond precision).</param>
/// <param name="Sequence">1, 2, 3, ... in arrival order on this connection; pass one as <c>replayAfter</c> to catch events that arrived before a wait began.</param>
/// <param name="ReceivedAt">When the client read the event, from its <see cref="TimeProvider"/>.</param>
public sealed record QmpEvent(string Name, JsonElement Data, DateTimeOffset Timestamp, long Sequence, DateTimeOffset ReceivedAt)
{
    /// <summary>A string member of <see cref="Data"/>, or null when absent or not a string.</summary>
    public string? GetString(string property) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>True when this is event <paramref name="name"/> (ordinal, case-insensitive).</summary>
    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The event as QEMU's JSON line shape: <c>{"event", "data", "timestamp": {"seconds", "microseconds"}}</c>.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event", Name);
            if (Data.ValueKind != JsonValueKind.Undefined)
            {
                writer.WritePropertyName("data");
                Data.WriteTo(writer);
            }
            var micros = (Timestamp - DateTimeOffset.UnixEpoch).Ticks / 10;
            writer.WriteStartObject("timestamp");
            writer.WriteNumber("seconds", micros / 1_000_000);
            writer.WriteNumber("microseconds", micros % 1_000_000);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
