using System.Buffers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Qmp;

// One call at a time: the gate, the timeout, resynchronisation and the translation of errors.
public sealed partial class QgaClient
{
    private const string SyncCommand = "guest-sync-delimited";
    private const byte Delimiter = 0xFF;

    private async Task<T> RunAsync<T>(string command, TimeSpan? timeout, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        var limit = timeout ?? _options.DefaultTimeout;
        if (limit <= TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), limit, "must be positive or infinite");
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisconnected(command);
        using var timeoutCts = new CancellationTokenSource(limit, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token, _disposeCts.Token);
        var entered = false;
        try
        {
            await _gate.WaitAsync(linked.Token).ConfigureAwait(false);
            entered = true;
            ThrowIfDisconnected(command);
            return await body(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested(); // the caller's own token, never wrapped
            throw;
        }
        catch (OperationCanceledException) when (_disposeCts.IsCancellationRequested)
        {
            throw DisconnectedError(command);
        }
        catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested)
        {
            Log.QgaCommandTimedOut(_log, _name, command, limit);
            var what = entered ? "no reply from the guest agent" : "an earlier call still held the channel";
            throw new QmpException(QmpErrorClasses.Timeout, $"{what} within {limit.TotalMilliseconds:0} ms", command);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            MarkDisconnected(new QmpException(QmpErrorClasses.Disconnected, e.Message, null, e));
            throw new QmpException(QmpErrorClasses.Disconnected, DisconnectReason!.Description, command, e);
        }
        finally
        {
            if (entered) _gate.Release();
        }
    }

    /// <summary>
    /// Sends <c>guest-sync-delimited</c> with a fresh id and discards input up to the 0xFF that the agent puts before
    /// the reply echoing it: stale replies of abandoned calls, and replies of abandoned syncs (other ids).
    /// </summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        var id = Random.Shared.NextInt64(1, int.MaxValue);
        await _transport.WriteLineAsync(Serialize(SyncCommand, new JsonObject { ["id"] = id }), cancellationToken).ConfigureAwait(false);
        var stale = 0;
        while (true)
        {
            var line = await ReadRawLineAsync(SyncCommand, cancellationToken).ConfigureAwait(false);
            var delimiter = Array.LastIndexOf(line, Delimiter);
            if (delimiter >= 0 && SyncId(line.AsSpan(delimiter + 1)) == id) break;
            stale++;
        }
        _needsSync = false;
        Log.QgaResynced(_log, _name, id, stale);
    }

    /// <summary>The next reply line, without a leading 0xFF.</summary>
    private async Task<byte[]> ReadLineAsync(string command, CancellationToken cancellationToken)
    {
        var line = await ReadRawLineAsync(command, cancellationToken).ConfigureAwait(false);
        var start = 0;
        while (start < line.Length && line[start] == Delimiter) start++;
        return start == 0 ? line : line[start..];
    }

    /// <summary>
    /// The next line. The transport's read itself is never cancelled (a cancelled pipe read can later surface as a
    /// spurious end of stream): a call that gives up leaves the read pending, and the next call takes it over.
    /// </summary>
    private async Task<byte[]> ReadRawLineAsync(string command, CancellationToken cancellationToken)
    {
        var read = _pendingRead ??= _transport.ReadLineAsync(CancellationToken.None).AsTask();
        byte[]? line;
        try
        {
            line = await read.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (read.IsCompleted) _pendingRead = null;
        }
        return line ?? throw PeerClosed(command);
    }

    private JsonNode ParseReply(string command, byte[] line)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException e)
        {
            _needsSync = true;
            throw new QmpException(QmpErrorClasses.Protocol, "invalid JSON from the agent: " + Preview(line), command, e);
        }
        if (node is JsonObject reply)
        {
            if (reply["error"] is JsonObject error)
                throw new QmpException(Text(error["class"]) ?? "GenericError", Text(error["desc"]) ?? "", command);
            if (reply.TryGetPropertyValue("return", out var value))
            {
                reply.Remove("return");
                return value ?? new JsonObject();
            }
        }
        _needsSync = true;
        throw new QmpException(QmpErrorClasses.Protocol, "neither a return nor an error: " + Preview(line), command);
    }

    private static long? SyncId(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject o && o["return"] is JsonValue v && v.TryGetValue<long>(out var id) ? id : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Serialize(string command, JsonObject? arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("execute", command);
            if (arguments is not null)
            {
                writer.WritePropertyName("arguments");
                arguments.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Preview(byte[] line) =>
        line.Length <= 200 ? Encoding.UTF8.GetString(line) : Encoding.UTF8.GetString(line, 0, 200) + "...";

    private QmpException PeerClosed(string command)
    {
        MarkDisconnected(new QmpException(QmpErrorClasses.Disconnected, "the guest agent's socket closed"));
        return DisconnectedError(command);
    }

    private QmpException DisconnectedError(string command) =>
        new(QmpErrorClasses.Disconnected, DisconnectReason?.Description ?? "disconnected", command);

    private void ThrowIfDisconnected(string command)
    {
        if (DisconnectReason is not null) throw DisconnectedError(command);
    }

    private void MarkDisconnected(QmpException reason)
    {
        if (Interlocked.CompareExchange(ref _disconnectReason, reason, null) is null)
            Log.QgaDisconnected(_log, _name, reason.ErrorClass, reason.Description);
    }
}
