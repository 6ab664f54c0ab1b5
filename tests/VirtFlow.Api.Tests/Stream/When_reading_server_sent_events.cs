using System.Text;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Api.Tests.Stream;

/// <summary>The client's reader of a <c>text/event-stream</c> body (used by the CLI, the tests and the benchmark's clients).</summary>
public sealed class When_reading_server_sent_events
{
    private const string Body =
        "retry: 1000\n\n" +
        ": ping\n\n" +
        "id: 1\ndata: {\"seq\":1,\"kind\":\"StepCompleted\",\"message\":\"ünïcode ✓\"}\n\n" +
        "id: 2\r\nevent: dropped\r\ndata: first line\r\ndata: second line\r\n\r\n" +
        "event: end\ndata: {\"status\":\"completed\"}\n\n" +
        "data: no end of event yet";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Each_event_comes_whole_however_the_bytes_are_cut(int chunk)
    {
        await using var body = new ChunkedStream(Encoding.UTF8.GetBytes(Body), chunk);
        var messages = new List<ServerSentEvents.Message>();
        await foreach (var m in ServerSentEvents.ReadAsync(body, CancellationToken.None)) messages.Add(m);

        Assert.Equal(
        [
            new ServerSentEvents.Message("1", "message", "{\"seq\":1,\"kind\":\"StepCompleted\",\"message\":\"ünïcode ✓\"}"),
            new ServerSentEvents.Message("2", "dropped", "first line\nsecond line"),
            new ServerSentEvents.Message(null, "end", "{\"status\":\"completed\"}"),
        ], messages);
    }

    /// <summary>Gives at most <c>chunk</c> bytes per read (a multi-byte character may be cut in two).</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : System.IO.Stream
    {
        private int _at;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _at; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(chunk, buffer.Length), bytes.Length - _at);
            bytes.AsSpan(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
