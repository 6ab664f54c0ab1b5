using System.Buffers;
using System.IO.Pipelines;

namespace VirtFlow.Qmp.Transport;

/// <summary>
/// A line-oriented JSON transport over a stream: one message per <c>\n</c>-terminated line, as QMP and the
/// guest agent speak. Reads come from one reader at a time; writes are serialized so concurrent callers
/// never interleave bytes. Shared by the QMP and guest-agent clients.
/// </summary>
/// <remarks>
/// Errors are left as the stream raises them (<see cref="IOException"/>, <see cref="ObjectDisposedException"/>);
/// the only exception this type creates is <see cref="QmpException"/> with <see cref="QmpErrorClasses.Protocol"/>
/// for a line longer than <see cref="MaxLineBytes"/>. Callers translate the rest at their boundary.
/// </remarks>
internal sealed class JsonLineTransport : IAsyncDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _disposed;

    public JsonLineTransport(Stream stream, int maxLineBytes = 16 * 1024 * 1024)
    {
        _stream = stream;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        MaxLineBytes = maxLineBytes;
    }

    /// <summary>The longest line accepted; a longer one is a protocol error.</summary>
    public int MaxLineBytes { get; }

    /// <summary>
    /// Reads the next non-empty line without its terminator (<c>\r\n</c> or <c>\n</c>);
    /// null when the peer closed the stream (a partial last line is dropped).
    /// </summary>
    public async ValueTask<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var end = buffer.PositionOf((byte)'\n');
            if (end is { } newline)
            {
                var bytes = Trim(buffer.Slice(0, newline));   // copy before AdvanceTo releases the memory
                _reader.AdvanceTo(buffer.GetPosition(1, newline));
                if (bytes.Length > 0) return bytes;
                continue;
            }

            if (buffer.Length > MaxLineBytes)
                throw new QmpException(QmpErrorClasses.Protocol, $"a message longer than {MaxLineBytes} bytes without a newline");
            if (result.IsCompleted || (result.IsCanceled && Volatile.Read(ref _disposed) == 1))
            {
                _reader.AdvanceTo(buffer.End);
                return null;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
            // A cancelled read is not the end of the stream: it is this caller's cancellation (or a stale
            // one from a token that fired as the previous read completed), so throw or read again.
            if (result.IsCanceled) cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Discards input up to and including <paramref name="delimiter"/> (the guest agent's 0xFF sync byte);
    /// false when the stream ended first.
    /// </summary>
    public async ValueTask<bool> SkipPastAsync(byte delimiter, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.PositionOf(delimiter) is { } found)
            {
                _reader.AdvanceTo(buffer.GetPosition(1, found));
                return true;
            }
            _reader.AdvanceTo(buffer.End);
            if (result.IsCompleted || (result.IsCanceled && Volatile.Read(ref _disposed) == 1)) return false;
            if (result.IsCanceled) cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Writes one message followed by a newline. Waiting for the write lock honours
    /// <paramref name="cancellationToken"/>; once bytes go out the write is never torn by a cancellation.
    /// </summary>
    public async ValueTask WriteLineAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(message, CancellationToken.None).ConfigureAwait(false);
            if (message.Length == 0 || message.Span[^1] != (byte)'\n')
                await _stream.WriteAsync(NewLine, CancellationToken.None).ConfigureAwait(false);
            await _stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _reader.CancelPendingRead();
        await _stream.DisposeAsync().ConfigureAwait(false);   // fails a read still in flight instead of waiting for it
        try
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // A reader was mid-read; the stream is closed, which is what matters.
        }
    }

    private static byte[] Trim(ReadOnlySequence<byte> line)
    {
        var bytes = line.ToArray();
        var length = bytes.Length;
        while (length > 0 && bytes[length - 1] is (byte)'\r' or (byte)' ' or (byte)'\t') length--;
        return length == bytes.Length ? bytes : bytes[..length];
    }
}
