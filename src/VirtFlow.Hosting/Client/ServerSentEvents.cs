using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;

namespace VirtFlow.Hosting.Client;

/// <summary>Reads a <c>text/event-stream</c> body: each event's <c>id</c>, <c>event</c> and <c>data</c> (comments skipped).</summary>
public static class ServerSentEvents
{
    private static readonly byte[] DataField = "data"u8.ToArray();
    private static readonly byte[] IdField = "id"u8.ToArray();
    private static readonly byte[] EventField = "event"u8.ToArray();

    /// <summary>One event as sent.</summary>
    public sealed record Message(string? Id, string Event, string Data);

    /// <summary>
    /// The events of <paramref name="body"/> as they come. Lines are cut from the bytes as they arrive (a pipe, no string
    /// per line): only the values an event keeps become strings, so a client following a busy server costs little.
    /// </summary>
    public static async IAsyncEnumerable<Message> ReadAsync(System.IO.Stream body, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(leaveOpen: true));
        var state = new EventState();
        var ready = new List<Message>();
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(ct).ConfigureAwait(false);
                var buffer = read.Buffer;
                while (TryReadLine(ref buffer, out var line)) state.Line(line, ready);
                reader.AdvanceTo(buffer.Start, buffer.End);
                foreach (var m in ready) yield return m;
                ready.Clear();
                if (read.IsCompleted) break;
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var end = buffer.PositionOf((byte)'\n');
        if (end is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, end.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
        return true;
    }

    /// <summary>The fields of the event being read.</summary>
    private sealed class EventState
    {
        private readonly StringBuilder _data = new();
        private string? _single; // the data of an event of one data line (the usual case): kept as it is, no copy
        private string? _id;
        private string? _name;
        private bool _hasData;

        public void Line(ReadOnlySequence<byte> sequence, List<Message> ready)
        {
            ReadOnlySpan<byte> line = sequence.IsSingleSegment ? sequence.FirstSpan : sequence.ToArray();
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            if (line.Length == 0)
            {
                if (_hasData || _name is not null) ready.Add(new Message(_id, _name ?? "message", _single ?? _data.ToString()));
                _id = _name = _single = null;
                _data.Clear();
                _hasData = false;
                return;
            }
            if (line[0] == (byte)':') return;
            var colon = line.IndexOf((byte)':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? [] : line[(colon + 1)..];
            if (value.Length > 0 && value[0] == (byte)' ') value = value[1..];
            if (field.SequenceEqual(DataField))
            {
                var text = Encoding.UTF8.GetString(value);
                if (!_hasData)
                {
                    _single = text;
                }
                else
                {
                    if (_single is not null) _data.Append(_single);
                    _single = null;
                    _data.Append('\n').Append(text);
                }
                _hasData = true;
            }
            else if (field.SequenceEqual(IdField))
            {
                _id = Encoding.UTF8.GetString(value);
            }
            else if (field.SequenceEqual(EventField))
            {
                _name = Encoding.UTF8.GetString(value);
            }
        }
    }
}
