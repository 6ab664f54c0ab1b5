using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace VirtFlow.Engine.Storage.InMemory;

/// <summary>
/// An instance's journal as the in-memory store keeps it: its entries encoded one after another in byte arrays. While
/// the journal is small (up to <see cref="SmallBytes"/>) it is one array of its exact size, made anew at each append: a
/// waiting instance's three entries cost one array, not a list, an array of entries and an array per entry. A longer
/// journal is written into chunks of <see cref="ChunkBytes"/>, filled in place, so that an append costs what it adds.
/// A commit's entries are encoded and appended at once, by <see cref="Append(IReadOnlyList{ValueTuple{EntryBody, long, long}}, JournalKinds)"/>,
/// which cannot fail: what can, writing the data's JSON, is done before, by <see cref="Body"/>.
/// </summary>
/// <remarks>
/// An entry: its sequence (7-bit varint), its time (UTC ticks, 8 bytes), its kind (varint: a number in the store's
/// <see cref="JournalKinds"/>, or 0 and the kind's UTF-8 inline), then its step path, message and data (each a varint of
/// length + 1, 0 for none, then the UTF-8 bytes; the data is JSON).
/// </remarks>
internal struct PackedJournal
{
    /// <summary>Up to this size the journal is one array of its exact size.</summary>
    private const int SmallBytes = 1024;

    /// <summary>A longer journal's chunks grow to this size (or as big as one append).</summary>
    private const int ChunkBytes = 8192;

    private object? _chunks; // null, byte[] (small) or Chunks

    /// <summary>A longer journal: full chunks, and the one being filled with how much of it is used.</summary>
    private sealed class Chunks
    {
        public readonly List<byte[]> Full = [];
        public byte[] Current = [];
        public int Used;

        public void Append(ReadOnlySpan<byte> encoded)
        {
            if (Used + encoded.Length > Current.Length)
            {
                if (Used > 0) Full.Add(Used == Current.Length ? Current : Current.AsSpan(0, Used).ToArray());
                // each chunk twice the one before, up to ChunkBytes: a journal just past small does not take 8 KiB
                Current = new byte[Math.Max(encoded.Length, Math.Min(ChunkBytes, 2 * Math.Max(SmallBytes, Current.Length)))];
                Used = 0;
            }
            encoded.CopyTo(Current.AsSpan(Used));
            Used += encoded.Length;
        }

        /// <summary>Every chunk with the length of its entries.</summary>
        public IEnumerable<(byte[] Chunk, int Length)> All() =>
            Full.Select(c => (c, c.Length)).Append((Current, Used));
    }

    /// <summary>The sequence number of the last entry (0: none).</summary>
    public long LastSequence { get; private set; }

    /// <summary>An entry with its data's JSON as UTF-8, written before the store's lock: writing it can fail.</summary>
    public readonly record struct EntryBody(JournalEntry Entry, byte[]? Data)
    {
        /// <summary>The most bytes its encoding takes: sequence, ticks, kind number, four length prefixes and the texts.</summary>
        public int MaxBytes => 10 + 8 + 5 + 5 * 4 + MaxText(Entry.Kind) + MaxText(Entry.StepPath) + MaxText(Entry.Message) + (Data?.Length ?? 0);

        private static int MaxText(string? text) => text is null ? 0 : Encoding.UTF8.GetMaxByteCount(text.Length);
    }

    public static EntryBody Body(JournalEntry j) => new(j, JsonBlob.Write(j.Data));

    /// <summary>Encodes entries (their sequence numbers and times given) and appends them.</summary>
    public void Append(IReadOnlyList<(EntryBody Body, long Sequence, long AtUtcTicks)> entries, JournalKinds kinds)
    {
        if (entries.Count == 0) return;
        var max = 0;
        foreach (var e in entries) max += e.Body.MaxBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var at = 0;
            foreach (var (body, sequence, ticks) in entries)
            {
                at += WriteVarint(buffer.AsSpan(at), (ulong)sequence);
                BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(at), ticks);
                at += 8;
                var kind = kinds.IdOf(body.Entry.Kind);
                at += WriteVarint(buffer.AsSpan(at), (ulong)kind);
                if (kind == 0) at += WriteText(buffer.AsSpan(at), body.Entry.Kind, nullable: false);
                at += WriteText(buffer.AsSpan(at), body.Entry.StepPath, nullable: true);
                at += WriteText(buffer.AsSpan(at), body.Entry.Message, nullable: true);
                at += WriteBytes(buffer.AsSpan(at), body.Data);
            }
            Append(buffer.AsSpan(0, at));
            LastSequence = entries[^1].Sequence;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Append(ReadOnlySpan<byte> encoded)
    {
        switch (_chunks)
        {
            case null when encoded.Length <= SmallBytes:
                _chunks = encoded.ToArray();
                break;
            case byte[] small when small.Length + encoded.Length <= SmallBytes:
                _chunks = Concat(small, encoded);
                break;
            case Chunks chunks:
                chunks.Append(encoded);
                break;
            default:
                var grown = new Chunks();
                if (_chunks is byte[] first) grown.Full.Add(first);
                grown.Append(encoded);
                _chunks = grown;
                break;
        }
    }

    /// <summary>Where each entry after <paramref name="afterSequence"/> begins, in order, with its sequence.</summary>
    public readonly IEnumerable<(long Sequence, byte[] Chunk, int Offset)> After(long afterSequence) =>
        LastSequence <= afterSequence ? [] : Positions(_chunks, afterSequence);

    /// <summary>The entry that begins at <paramref name="offset"/>.</summary>
    public static JournalEntry Decode(byte[] chunk, int offset, string instanceId, JournalKinds kinds)
    {
        var span = chunk.AsSpan(offset);
        var at = ReadVarint(span, out var sequence);
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
        at += 8;
        at += ReadVarint(span[at..], out var kindId);
        string kind;
        if (kindId == 0)
        {
            at += ReadBytes(span[at..], out var inline);
            kind = Encoding.UTF8.GetString(inline);
        }
        else
        {
            kind = kinds.NameOf((int)kindId);
        }
        at += ReadBytes(span[at..], out var path, out var hasPath);
        at += ReadBytes(span[at..], out var message, out var hasMessage);
        ReadBytes(span[at..], out var data, out var hasData);
        return new JournalEntry
        {
            Sequence = (long)sequence,
            InstanceId = instanceId,
            At = new DateTimeOffset(ticks, TimeSpan.Zero),
            Kind = kind,
            StepPath = hasPath ? Encoding.UTF8.GetString(path) : null,
            Message = hasMessage ? Encoding.UTF8.GetString(message) : null,
            Data = hasData ? StoreJson.ReadUtf8(data) : null,
        };
    }

    /// <summary>The kind of the entry that begins at <paramref name="offset"/>, without decoding the rest.</summary>
    public static string KindAt(byte[] chunk, int offset, JournalKinds kinds)
    {
        var span = chunk.AsSpan(offset);
        var at = ReadVarint(span, out _) + 8;
        at += ReadVarint(span[at..], out var kindId);
        if (kindId != 0) return kinds.NameOf((int)kindId);
        ReadBytes(span[at..], out var inline);
        return Encoding.UTF8.GetString(inline);
    }

    private static IEnumerable<(long, byte[], int)> Positions(object? chunks, long afterSequence)
    {
        IReadOnlyList<(byte[] Chunk, int Length)> list = chunks switch
        {
            byte[] small => [(small, small.Length)],
            Chunks many => [.. many.All()],
            _ => [],
        };
        for (var c = 0; c < list.Count; c++)
        {
            // a chunk whose next one begins at or before the wanted entry holds nothing wanted
            if (c + 1 < list.Count && list[c + 1].Length > 0 && FirstSequence(list[c + 1].Chunk) <= afterSequence + 1) continue;
            var (chunk, length) = list[c];
            for (var at = 0; at < length;)
            {
                var begin = at;
                at += ReadVarint(chunk.AsSpan(at), out var sequence);
                at = Skip(chunk, at);
                if ((long)sequence > afterSequence) yield return ((long)sequence, chunk, begin);
            }
        }
    }

    private static long FirstSequence(byte[] chunk)
    {
        ReadVarint(chunk, out var sequence);
        return (long)sequence;
    }

    /// <summary>From just after an entry's sequence to the start of the next entry.</summary>
    private static int Skip(byte[] chunk, int at)
    {
        at += 8;
        at += ReadVarint(chunk.AsSpan(at), out var kindId);
        if (kindId == 0) at += ReadBytes(chunk.AsSpan(at), out _);
        for (var field = 0; field < 3; field++) at += ReadBytes(chunk.AsSpan(at), out _, out _);
        return at;
    }

    private static byte[] Concat(byte[] first, ReadOnlySpan<byte> second)
    {
        var joined = new byte[first.Length + second.Length];
        first.CopyTo(joined, 0);
        second.CopyTo(joined.AsSpan(first.Length));
        return joined;
    }

    /// <summary>A text as its UTF-8 length (+ 1 when it may be null; 0 for null) and bytes, written straight in place.</summary>
    private static int WriteText(Span<byte> into, string? text, bool nullable)
    {
        if (text is null) return WriteVarint(into, 0);
        var length = Encoding.UTF8.GetByteCount(text);
        var at = WriteVarint(into, (ulong)length + (nullable ? 1UL : 0UL));
        return at + Encoding.UTF8.GetBytes(text, into[at..]);
    }

    /// <summary>Nullable bytes as their length + 1 (0 for null) and the bytes.</summary>
    private static int WriteBytes(Span<byte> into, byte[]? bytes)
    {
        if (bytes is null) return WriteVarint(into, 0);
        var at = WriteVarint(into, (ulong)bytes.Length + 1);
        bytes.CopyTo(into[at..]);
        return at + bytes.Length;
    }

    /// <summary>A length-prefixed field that is never null (an inline kind).</summary>
    private static int ReadBytes(ReadOnlySpan<byte> from, out ReadOnlySpan<byte> bytes)
    {
        var at = ReadVarint(from, out var length);
        bytes = from.Slice(at, (int)length);
        return at + (int)length;
    }

    /// <summary>A nullable length-prefixed field (length + 1; 0 for none).</summary>
    private static int ReadBytes(ReadOnlySpan<byte> from, out ReadOnlySpan<byte> bytes, out bool present)
    {
        var at = ReadVarint(from, out var lengthPlusOne);
        present = lengthPlusOne > 0;
        var length = present ? (int)lengthPlusOne - 1 : 0;
        bytes = from.Slice(at, length);
        return at + length;
    }

    private static int WriteVarint(Span<byte> into, ulong value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            into[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        into[at++] = (byte)value;
        return at;
    }

    private static int ReadVarint(ReadOnlySpan<byte> from, out ulong value)
    {
        value = 0;
        for (int at = 0, shift = 0; ; at++, shift += 7)
        {
            var b = from[at];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return at + 1;
        }
    }
}

/// <summary>
/// The journal kinds the in-memory store has seen, each numbered once (from 1), so that an entry keeps a small number,
/// not its kind's name. Kinds are the engine's few names; after <see cref="Most"/> of them, a kind is kept inline.
/// </summary>
internal sealed class JournalKinds
{
    private const int Most = 1024;
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The kind's number; 0 when it is to be kept inline (the table is full).</summary>
    public int IdOf(string kind)
    {
        lock (_gate)
        {
            if (_ids.TryGetValue(kind, out var id)) return id;
            if (_names.Count == Most) return 0;
            _names.Add(kind);
            return _ids[kind] = _names.Count;
        }
    }

    public string NameOf(int id)
    {
        lock (_gate) return _names[id - 1];
    }
}
