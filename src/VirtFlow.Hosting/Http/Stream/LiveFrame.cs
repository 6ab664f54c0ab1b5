using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Hosting.Http.Stream;

/// <summary>
/// One journal line as the bytes of its server-sent event (<c>id: SEQ</c>, <c>data: {LiveEvent}</c>), made once by the
/// server's reader and shared by every client that gets it: a hundred clients cost one serialization, not a hundred.
/// </summary>
internal sealed class LiveFrame
{
    private LiveFrame(long seq, string instanceId, string kind, ReadOnlyMemory<byte> bytes)
    {
        Seq = seq;
        InstanceId = instanceId;
        Kind = kind;
        Bytes = bytes;
    }

    public long Seq { get; }

    public string InstanceId { get; }

    public string Kind { get; }

    /// <summary>The whole event, ending in the blank line; never changed after it is made.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Writes the event of <paramref name="entry"/> to <paramref name="output"/>; its sequence, kind and instance.</summary>
    internal static (long Seq, string InstanceId, string Kind) Write(JournalEntry entry, ArrayBufferWriter<byte> output, Utf8JsonWriter json)
    {
        var e = LiveEvent.From(entry);
        "id: "u8.CopyTo(output.GetSpan(4));
        output.Advance(4);
        var digits = output.GetSpan(20);
        Utf8Formatter.TryFormat(e.Seq, digits, out var written);
        output.Advance(written);
        "\ndata: "u8.CopyTo(output.GetSpan(7));
        output.Advance(7);
        json.Reset(output);
        JsonSerializer.Serialize(json, e);
        json.Flush();
        "\n\n"u8.CopyTo(output.GetSpan(2));
        output.Advance(2);
        return (e.Seq, e.InstanceId, e.Kind);
    }

    /// <summary>The frame of bytes <paramref name="bytes"/> (a slice of its page's).</summary>
    internal static LiveFrame Of((long Seq, string InstanceId, string Kind) head, ReadOnlyMemory<byte> bytes) =>
        new(head.Seq, head.InstanceId, head.Kind, bytes);
}
