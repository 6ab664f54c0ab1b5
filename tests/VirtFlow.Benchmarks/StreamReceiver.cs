using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Benchmarks;

/// <summary>
/// A benchmark client of <c>GET /api/stream</c> that does, while it is measured, no more than its socket needs: each read
/// lands in one kept buffer and is stamped; the events are cut and their JSON parsed after the row
/// (<see cref="TakeRow"/>). A line's receipt is the stamp of the read that brought its last byte: the moment the client
/// read it from its socket. A client that parses as it reads (<see cref="ServerSentEvents"/>) stamps later by its own
/// parsing, and a hundred of them in the server's process take the server's CPU and pause it with their garbage.
/// </summary>
internal sealed class StreamReceiver
{
    private const int MinRead = 16 << 10;
    private readonly Lock _gate = new();
    private readonly List<(int End, long At)> _reads = [];
    private byte[] _buffer;
    private int _used;
    private int _rowStart;
    private int _rowReads;
    private byte[]? _marker;
    private int _checked;
    private int _markerAt;
    private TaskCompletionSource? _reached;

    public StreamReceiver(int capacity) => _buffer = GC.AllocateUninitializedArray<byte>(capacity);

    /// <summary>Socket reads and bytes of the rows taken so far.</summary>
    public (long Reads, long Bytes) Taken { get; private set; }

    /// <summary>Whether the server dropped it (an <c>event: dropped</c> seen by <see cref="TakeRow"/>).</summary>
    public bool Dropped { get; private set; }

    /// <summary>Reads the body until it ends or <paramref name="ct"/> fires.</summary>
    public async Task ReadAsync(System.IO.Stream body, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                Memory<byte> free;
                lock (_gate)
                {
                    if (_buffer.Length - _used < MinRead) Array.Resize(ref _buffer, _buffer.Length * 2);
                    free = _buffer.AsMemory(_used);
                }
                var n = await body.ReadAsync(free, ct);
                var at = Stopwatch.GetTimestamp();
                if (n == 0) break;
                lock (_gate)
                {
                    _used += n;
                    _reads.Add((_used, at));
                    if (_marker is not null) Check();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // done
        }
        catch (IOException)
        {
            // the server went away
        }
        finally
        {
            lock (_gate) _reached?.TrySetResult();
        }
    }

    /// <summary>Starts a row: what comes from now on is this row's.</summary>
    public void StartRow()
    {
        lock (_gate)
        {
            _rowStart = _used;
            _rowReads = _reads.Count;
            _marker = null;
            _reached = null;
        }
    }

    /// <summary>Completes when the event of sequence <paramref name="seq"/> (the row's last) has come whole, or the stream ended.</summary>
    public Task ReachedAsync(long seq)
    {
        lock (_gate)
        {
            _marker = Encoding.ASCII.GetBytes($"\nid: {seq.ToString(CultureInfo.InvariantCulture)}\n");
            _checked = _rowStart;
            _markerAt = -1;
            _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Check();
            return _reached.Task;
        }
    }

    private void Check()
    {
        if (_markerAt < 0)
        {
            var from = Math.Max(_rowStart, _checked - _marker!.Length);
            var at = _buffer.AsSpan(from, _used - from).IndexOf(_marker);
            if (at >= 0) _markerAt = from + at + _marker.Length;
        }
        // the event is whole when its blank line came too
        if (_markerAt >= 0 && _buffer.AsSpan(_markerAt, _used - _markerAt).IndexOf("\n\n"u8) >= 0) _reached!.TrySetResult();
        _checked = _used;
    }

    /// <summary>The row's StepCompleted lines, each with the stamp of the read that brought its last byte; after <see cref="ReachedAsync"/>.</summary>
    public List<((string Instance, string Step) Step, long At)> TakeRow()
    {
        byte[] bytes;
        int start, end;
        List<(int End, long At)> reads;
        lock (_gate)
        {
            bytes = _buffer;
            start = _rowStart;
            end = _used;
            reads = _reads[_rowReads..];
        }
        var receipts = new List<((string, string), long)>();
        var read = 0;
        var dropped = false;
        for (var pos = start; pos < end;)
        {
            var newline = bytes.AsSpan(pos, end - pos).IndexOf((byte)'\n');
            if (newline < 0) break;
            var line = bytes.AsSpan(pos, newline);
            var last = pos + newline; // the line's last byte
            pos = last + 1;
            while (reads[read].End <= last) read++;
            if (line.StartsWith("event: dropped"u8)) dropped = true;
            if (!line.StartsWith("data: "u8) || line.IndexOf("\"kind\":\"StepCompleted\""u8) < 0) continue;
            var e = JsonSerializer.Deserialize<LiveEvent>(line["data: "u8.Length..])!;
            receipts.Add(((e.InstanceId, e.Step!), reads[read].At));
        }
        Dropped |= dropped;
        Taken = (Taken.Reads + reads.Count, Taken.Bytes + end - start);
        return receipts;
    }
}
