using System.Globalization;
using System.Text;
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
    private LiveFrame(long seq, string instanceId, string kind, byte[] bytes)
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

    public static LiveFrame From(JournalEntry entry)
    {
        var e = LiveEvent.From(entry);
        var head = Encoding.UTF8.GetBytes($"id: {e.Seq.ToString(CultureInfo.InvariantCulture)}\ndata: ");
        var json = JsonSerializer.SerializeToUtf8Bytes(e);
        var bytes = new byte[head.Length + json.Length + 2];
        head.CopyTo(bytes, 0);
        json.CopyTo(bytes, head.Length);
        bytes[^2] = (byte)'\n';
        bytes[^1] = (byte)'\n';
        return new LiveFrame(e.Seq, e.InstanceId, e.Kind, bytes);
    }
}
