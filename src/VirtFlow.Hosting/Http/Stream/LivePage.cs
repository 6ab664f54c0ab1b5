using System.Buffers;
using System.Collections;
using System.Text.Json;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Http.Stream;

/// <summary>
/// What one read of the journal gave, as server-sent events in one array: each <see cref="LiveFrame"/> is a slice of
/// <see cref="Bytes"/>, in sequence order, so a client that gets the whole page (<c>/api/stream</c>) writes it with one
/// copy instead of one per event.
/// </summary>
internal sealed class LivePage : IReadOnlyList<LiveFrame>
{
    private readonly LiveFrame[] _frames;

    private LivePage(LiveFrame[] frames, ReadOnlyMemory<byte> bytes)
    {
        _frames = frames;
        Bytes = bytes;
    }

    /// <summary>Every frame's bytes, one after the other.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public int Count => _frames.Length;

    public LiveFrame this[int index] => _frames[index];

    /// <summary>The page of <paramref name="entries"/>, serialized once.</summary>
    public static LivePage From(IReadOnlyList<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var output = new ArrayBufferWriter<byte>(Math.Max(256, entries.Count * 256));
        var heads = new (long Seq, string InstanceId, string Kind)[entries.Count];
        var ends = new int[entries.Count];
        using (var json = new Utf8JsonWriter(output))
        {
            for (var i = 0; i < entries.Count; i++)
            {
                heads[i] = LiveFrame.Write(entries[i], output, json);
                ends[i] = output.WrittenCount;
            }
        }
        var bytes = output.WrittenMemory;
        var frames = new LiveFrame[entries.Count];
        for (int i = 0, start = 0; i < frames.Length; start = ends[i], i++) frames[i] = LiveFrame.Of(heads[i], bytes[start..ends[i]]);
        return new LivePage(frames, bytes);
    }

    public IEnumerator<LiveFrame> GetEnumerator() => ((IEnumerable<LiveFrame>)_frames).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
